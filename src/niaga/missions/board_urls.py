"""The public big-screen board of a mission, mounted under /board/ (no login)."""

from django.urls import path

from niaga.missions import board

app_name = "board"
urlpatterns = [
    path("<slug:slug>/", board.board, name="board"),
    path("<slug:slug>/data.json", board.board_data, name="data"),
]
