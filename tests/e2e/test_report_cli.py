"""The main job from the command line: simulate two years, write the report in every format
and language, and refuse bad arguments with exit 2 and a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.processes import cli_env, run_cli


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("main-job")
    env = cli_env(f"sqlite:///{folder / 'sg.db'}", folder / "data")
    for year in ("2020", "2021"):
        done = run_cli(["simulate", "--year", year, "--scale", "tiny", "--seed", "4"], env=env)
        assert done.returncode == 0, done.stderr
        assert "publish attempts" in done.stdout
    return env


@pytest.mark.parametrize("fmt", ["html", "md", "json", "pdf"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_renders_in_every_format_and_language(
    two_years: dict[str, str], fmt: str, lang: str, tmp_path: Path
) -> None:
    out = tmp_path / f"r.{fmt}"
    done = run_cli(
        ["report", "--year", "2021", "--format", fmt, "--lang", lang, "--output", str(out)],
        env=two_years,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out.resolve())
    body = out.read_bytes()
    if fmt == "pdf":
        assert body.startswith(b"%PDF")
        return
    text = body.decode()
    if fmt == "json":
        data = json.loads(text)
        assert data["year"] == 2021
        assert data["previous_year"] == 2020
        screened = data["figures"]["screening.publish_attempts.screened"]
        assert screened["value"] > 0
        assert screened["previous"] > 0
    if fmt == "html":
        assert "<svg" in text
        assert "https://" not in text
    if lang == "zh":
        assert "内容治理" in text
    else:
        assert "Content governance" in text


def test_a_year_with_nothing_in_it_says_so(two_years: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "empty.md"
    done = run_cli(
        ["report", "--year", "2015", "--format", "md", "--lang", "en", "--output", str(out)],
        env=two_years,
    )
    assert done.returncode == 0, done.stderr
    assert "2015" in out.read_text()
    assert "no activity" in (done.stderr + out.read_text()).lower()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["report", "--year", "2021", "--format", "docx"], "--format"),
        (["report", "--year", "2021", "--lang", "fr"], "--lang"),
        (["report", "--year", "twenty"], "year"),
        (["simulate", "--year", "2021", "--scale", "huge"], "--scale"),
        (["simulate", "--year", "20210"], "--year"),
        (["simulate", "--year", "2021", "--scale", "tiny"], "already simulated"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    two_years: dict[str, str], args: list[str], says: str
) -> None:
    done = run_cli(args, env=two_years)
    assert done.returncode == 2
    assert says in done.stderr
