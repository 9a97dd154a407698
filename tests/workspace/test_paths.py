"""The one rule for every path that comes in: normalised, or refused with its reason."""

import pytest

from moussaillon.workspace.errors import WorkspaceError
from moussaillon.workspace.paths import check_tree, normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Dockerfile", "Dockerfile"),
        ("./app//index.php", "app/index.php"),
        ("app/./src/main.c", "app/src/main.c"),
        ("a/b/c/d", "a/b/c/d"),
        ("mon fichier.txt", "mon fichier.txt"),
        ("été/café.php", "été/café.php"),
        (".dockerignore", ".dockerignore"),
    ],
)
def test_good_paths_are_normalised(typed, stored):
    assert normalise(typed, 4) == stored


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "workspace.path_empty"),
        ("./", "workspace.path_empty"),
        ("../etc/passwd", "workspace.path_parent"),
        ("app/../../x", "workspace.path_parent"),
        ("/etc/passwd", "workspace.path_absolute"),
        ("app\\index.php", "workspace.path_backslash"),
        ("a/b/c/d/e", "workspace.path_deep"),
        ("-rf", "workspace.name_dash"),
        ("app/--help", "workspace.name_dash"),
        ("bad\x00name", "workspace.name_unprintable"),
        ("tab\there", "workspace.name_unprintable"),
        ("line\nbreak", "workspace.name_unprintable"),
        ("zero\u200bwidth", "workspace.name_unprintable"),
        (" lead", "workspace.name_spaces"),
        ("x" * 101, "workspace.name_long"),
        ("a/" * 130 + "b", "workspace.path_long"),
    ],
)
def test_bad_paths_are_refused_with_their_reason(typed, key):
    with pytest.raises(WorkspaceError) as caught:
        normalise(typed, 4)
    assert caught.value.key == key
    assert caught.value.message("fr") and caught.value.message("en")


def test_a_name_cannot_be_a_file_and_a_folder():
    check_tree({"app/index.php", "Dockerfile"})
    with pytest.raises(WorkspaceError) as caught:
        check_tree({"app", "app/index.php"})
    assert caught.value.key == "workspace.path_conflict"
