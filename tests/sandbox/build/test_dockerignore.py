"""``.dockerignore`` as Docker reads it: the cases of Docker's documentation and of
moby/patternmatcher's own test table, rewritten as Python tables."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.build.dockerignore import DockerIgnore, go_clean
from moussaillon.sandbox.build.errors import ContextError

# --- Docker's documentation (the .dockerignore section of the build reference) --------------

DOCS: list[tuple[str, str, bool]] = [
    # a comment, and */temp*: one level down only
    ("# comment\n*/temp*", "somedir/temporary.txt", True),
    ("# comment\n*/temp*", "somedir/temp", True),
    ("# comment\n*/temp*", "somedir/temp/inside.txt", True),  # a folder excludes its content
    ("# comment\n*/temp*", "temporary.txt", False),
    ("# comment\n*/temp*", "a/b/temporary.txt", False),
    ("# comment", "# comment", False),
    # */*/temp*: two levels down
    ("*/*/temp*", "somedir/subdir/temporary.txt", True),
    ("*/*/temp*", "somedir/temporary.txt", False),
    # temp?: one character
    ("temp?", "tempa", True),
    ("temp?", "tempb", True),
    ("temp?", "temp", False),
    ("temp?", "tempab", False),
    ("temp?", "dir/tempa", False),
    # **/*.go: any number of folders, none included
    ("**/*.go", "main.go", True),
    ("**/*.go", "cmd/app/main.go", True),
    ("**/*.go", "main.go.txt", False),
    # exceptions: the last matching line wins
    ("*.md\n!README.md", "notes.md", True),
    ("*.md\n!README.md", "README.md", False),
    ("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", True),
    ("*.md\n!README*.md\nREADME-secret.md", "README-public.md", False),
    ("*.md\n!README*.md\nREADME-secret.md", "CHANGES.md", True),
    ("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", False),
    ("*.md\nREADME-secret.md\n!README*.md", "CHANGES.md", True),
    # leading and trailing slashes are cleaned away; the root is the context
    ("/docs/", "docs/index.md", True),
    ("docs/", "docs", True),
    ("/a/../b", "b/x", True),
    ("./node_modules", "node_modules/left-pad/index.js", True),
    ("node_modules", "app/node_modules/x.js", False),  # patterns are rooted at the context
    ("**/node_modules", "app/node_modules/x.js", True),
    # blank lines and surrounding spaces do not count; a # not at the start is a pattern
    ("\n   \n  *.log  \n", "debug.log", True),
    (" #x", "#x", True),
    ("\ufeff*.tmp", "a.tmp", True),  # a BOM at the start of the file
    ("*.tmp\r\n!keep.tmp\r\n", "keep.tmp", False),  # Windows line ends
    ("! keep.tmp\n*.tmp", "keep.tmp", True),  # "! x" is "!x", and order matters
    ("*.tmp\n! keep.tmp", "keep.tmp", False),
    # the file and folder exception dance of the documentation
    ("docs\n!docs/README.md", "docs/README.md", False),
    ("docs\n!docs/README.md", "docs/other.md", True),
    ("docs/*\n!docs/README.md", "docs/README.md", False),
    ("*\n!src", "src/app.py", False),
    ("*\n!src", "Makefile", True),
]


@pytest.mark.parametrize(("text", "path", "excluded"), DOCS, ids=[f"{t!r}:{p}" for t, p, _ in DOCS])
def test_the_documentations_cases(text: str, path: str, excluded: bool) -> None:
    assert DockerIgnore.parse(text).excludes(path) is excluded


# --- moby/patternmatcher's TestMatches table (MatchesOrParentMatches) ------------------------

PATTERNMATCHER: list[tuple[str, str, bool]] = [
    ("**", "file", True),
    ("**", "file/", True),
    ("**/", "file", True),
    ("**/", "file/", True),
    ("**", "/", True),
    ("**/", "/", True),
    ("**", "dir/file", True),
    ("**/", "dir/file", True),
    ("**", "dir/file/", True),
    ("**/", "dir/file/", True),
    ("**/**", "dir/file", True),
    ("**/**", "dir/file/", True),
    ("dir/**", "dir/file", True),
    ("dir/**", "dir/file/", True),
    ("dir/**", "dir/dir2/file", True),
    ("dir/**", "dir/dir2/file/", True),
    ("**/dir", "dir", True),
    ("**/dir", "dir/file", True),
    ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/*", "dir/dir2/file/", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**/dir2/**", "dir/dir2/dir3/file/", True),
    ("**file", "file", True),
    ("**file", "dir/file", True),
    ("**/file", "dir/file", True),
    ("**file", "dir/dir/file", True),
    ("**/file", "dir/dir/file", True),
    ("**/file*", "dir/dir/file", True),
    ("**/file*", "dir/dir/file.txt", True),
    ("**/file*txt", "dir/dir/file.txt", True),
    ("**/file*.txt", "dir/dir/file.txt", True),
    ("**/file*.txt*", "dir/dir/file.txt", True),
    ("**/**/*.txt", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True),
    ("**/**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/file.txt", True),
    ("a**/*.txt", "a/dir/file.txt", True),
    ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False),
    ("a/*.txt", "a/file.txt", True),
    ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False),
    ("a[b-d]e", "ace", True),
    ("a[b-d]e", "aae", False),
    ("a[^b-d]e", "aze", True),
    (".*", ".foo", True),
    (".*", "foo", False),
    ("abc.def", "abcdef", False),
    ("abc.def", "abc.def", True),
    ("abc.def", "abcZdef", False),
    ("abc?def", "abcZdef", True),
    ("abc?def", "abcdef", False),
    ("a\\\\", "a\\", True),
    ("**/foo/bar", "foo/bar", True),
    ("**/foo/bar", "dir/foo/bar", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True),
    ("abc/**", "abc", False),
    ("abc/**", "abc/def", True),
    ("abc/**", "abc/def/ghi", True),
    ("**/.foo", ".foo", True),
    ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True),
    ("a(b)c/def", "a(b)c/xyz", False),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    ("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
     "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "axb", False),
]  # fmt: skip

MULTI: list[tuple[list[str], str, bool]] = [
    (["**", "!util/docker/web"], "util/docker/web/foo", False),
    (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True),
    (["**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"],
     "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", False),
    (["**", "!dist/*.whl"], "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", False),
    # the older single-test cases of the same file
    (["*"], "fileutils.go", True),
    (["*.go"], "fileutils.go", True),
    (["!fileutils.go", "*.go"], "fileutils.go", True),
    (["docs", "!docs/README.md"], "docs/README.md", False),
    (["docs/", "!docs/README.md"], "docs/README.md", False),
    (["docs/*", "!docs/README.md"], "docs/README.md", False),
    (["*.go", "!fileutils.go"], "fileutils.go", False),
    ([], "/any/path/there", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "path", "matched"), PATTERNMATCHER, ids=[f"{p}:{t}" for p, t, _ in PATTERNMATCHER]
)
def test_patternmatchers_table(pattern: str, path: str, matched: bool) -> None:
    assert DockerIgnore.from_patterns([pattern]).matches(path) is matched


@pytest.mark.parametrize(("patterns", "path", "matched"), MULTI, ids=[p for _, p, _ in MULTI])
def test_patternmatchers_multi_pattern_table(patterns: list[str], path: str, matched: bool) -> None:
    assert DockerIgnore.from_patterns(patterns).matches(path) is matched


def test_the_context_root_itself_is_never_excluded() -> None:
    assert DockerIgnore.parse("*").excludes(".") is False
    assert DockerIgnore.parse("**").excludes("./") is False


@pytest.mark.parametrize("bad", ["[", "a[", "[]", "[-a]", "a[b-]", "x\\", "!"])
def test_malformed_patterns_are_refused_like_dockers_syntax_error(bad: str) -> None:
    with pytest.raises(ContextError) as caught:
        DockerIgnore.from_patterns([bad])
    assert caught.value.key == "sandbox.build.context.bad_pattern"
    assert "syntax error in pattern" in caught.value.message("en")


def test_a_lone_exclamation_mark_in_a_file_is_an_error_too() -> None:
    with pytest.raises(ContextError):
        DockerIgnore.parse("*.md\n!\n")


def test_the_dockerfile_and_dockerignore_are_kept_when_a_pattern_names_them() -> None:
    ignore = DockerIgnore.parse("*\n").with_kept(".dockerignore", "build/Dockerfile")
    assert not ignore.excludes(".dockerignore")
    assert not ignore.excludes("build/Dockerfile")
    assert ignore.excludes("build/other")
    assert ignore.excludes("main.c")


@pytest.mark.parametrize(
    ("path", "clean"),
    [
        ("", "."),
        (".", "."),
        ("a/", "a"),
        ("./a//b/./c/", "a/b/c"),
        ("a/../b", "b"),
        ("../a", "../a"),
        ("/../a", "/a"),
        ("//a", "/a"),
        ("a/b/../..", "."),
    ],
)
def test_go_clean(path: str, clean: str) -> None:
    assert go_clean(path) == clean


def test_a_backtracking_pattern_runs_in_linear_time() -> None:
    """Go's regexp (RE2) does not backtrack; with Python's ``re`` this pattern on this name
    would take longer than the test suite."""
    ignore = DockerIgnore.parse("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n")
    assert ignore.excludes("a" * 250) is False
    assert ignore.excludes("a" * 249 + "b") is True


def test_too_many_patterns_are_refused_before_any_is_compiled() -> None:
    with pytest.raises(ContextError) as caught:
        DockerIgnore.parse("x\n" * 1001)
    assert caught.value.key == "sandbox.build.context.too_many_patterns"
    assert len(DockerIgnore.parse("x\n" * 1000).patterns) == 1000
