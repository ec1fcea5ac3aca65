"""Training pages of a program, mounted under /province/<slug>/programs/ by province_urls.

Every name takes `province` and `program` (the program's slug). Writes are
POSTs; the withdraw and complete pages show what will happen on GET first.
"""

from django.urls import path

from niaga.programs.views import certificates, training

T = "<slug:program>/training/"

urlpatterns = [
    path(T, training.course_list, name="course_list"),
    path(f"{T}courses/new/", training.course_create, name="course_create"),
    path(f"{T}courses/<int:course_id>/", training.course_detail, name="course_detail"),
    path(f"{T}courses/<int:course_id>/edit/", training.course_edit, name="course_edit"),
    path(f"{T}courses/<int:course_id>/cohorts/new/", training.cohort_create, name="cohort_create"),
    path(f"{T}cohorts/<int:cohort_id>/", training.cohort_detail, name="cohort_detail"),
    path(f"{T}cohorts/<int:cohort_id>/edit/", training.cohort_edit, name="cohort_edit"),
    path(f"{T}cohorts/<int:cohort_id>/people/", training.cohort_people, name="cohort_people"),
    path(f"{T}cohorts/<int:cohort_id>/enrol/", training.cohort_enrol, name="cohort_enrol"),
    path(
        f"{T}cohorts/<int:cohort_id>/enrolments/<int:enrolment_id>/withdraw/",
        training.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path(
        f"{T}cohorts/<int:cohort_id>/sessions/new/", training.session_create, name="session_create"
    ),
    path(
        f"{T}cohorts/<int:cohort_id>/sessions/<int:session_id>/roll-call/",
        training.roll_call,
        name="roll_call",
    ),
    path(f"{T}cohorts/<int:cohort_id>/scores/", training.cohort_scores, name="cohort_scores"),
    path(f"{T}cohorts/<int:cohort_id>/complete/", training.cohort_complete, name="cohort_complete"),
    path(
        f"{T}certificates/<int:certificate_id>/",
        certificates.certificate_detail,
        name="certificate_detail",
    ),
    path(
        f"{T}certificates/<int:certificate_id>/pdf/",
        certificates.certificate_download,
        name="certificate_download",
    ),
    path(
        f"{T}certificates/<int:certificate_id>/revoke/",
        certificates.certificate_revoke,
        name="certificate_revoke",
    ),
]
