"""The program pages, mounted under /province/<slug>/programs/ by province_urls.

Names live in the "province" namespace. A program is named by its slug
(`program`); "new" and "replicate" are reserved and cannot be a program's
slug. Changes are POSTs; deleting a module shows what will happen on GET first.
"""

from django.urls import path

from niaga.programs.views import programs as views

P = "<slug:program>/"

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("new/", views.program_create, name="program_create"),
    path("replicate/", views.replicate_sources, name="program_replicate_sources"),
    path("replicate/<slug:source>/", views.replicate, name="program_replicate"),
    path(P, views.program_detail, name="program_detail"),
    path(f"{P}edit/", views.program_edit, name="program_edit"),
    path(f"{P}team/", views.program_team, name="program_team"),
    path(
        f"{P}team/<int:member_id>/remove/",
        views.program_team_remove,
        name="program_team_remove",
    ),
    path(f"{P}curriculum/new/", views.module_create, name="program_module_create"),
    path(f"{P}curriculum/<int:module_id>/edit/", views.module_edit, name="program_module_edit"),
    path(
        f"{P}curriculum/<int:module_id>/delete/",
        views.module_delete,
        name="program_module_delete",
    ),
    path(f"{P}curriculum/<int:module_id>/move/", views.module_move, name="program_module_move"),
]
