"""The package installed from its wheel, away from the checkout: it carries its templates,
static files, migrations and compiled catalogs, keeps its instance folder where it is told (or
in the user's data folder), and serves Turkish pages with gunicorn from any working folder.
And /readyz refuses to call the site ready while a language has no compiled catalog."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from bench.loopback import call, free_port

from .served import clean_env, start_gunicorn, wait_ready

ROOT = Path(__file__).resolve().parents[1]
# What the build reads: copied to a temporary folder, so that it leaves nothing in the checkout.
BUILD_INPUTS = ("setup.py", "setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md",
                "webapp", "templates", "static", "migrations", "translations")  # fmt: skip


def read_catalog(language: str):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def can_build_wheels_here() -> bool:
    """This interpreter has what pyproject.toml's build asks for (setuptools 68 or later, and
    the ``wheel`` package unless setuptools is 70.1 or later); else pip builds in an isolated
    environment, from the package index. Read from the metadata: importing setuptools here
    could warn about distutils."""
    try:
        setuptools = tuple(int(part) for part in version("setuptools").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return False
    has_wheel = importlib.util.find_spec("wheel") is not None
    return setuptools >= (68, 0) and (has_wheel or setuptools >= (70, 1))


def build_wheel(work: Path) -> Path:
    source, out = work / "source", work / "dist"
    source.mkdir()
    for name in BUILD_INPUTS:
        path = ROOT / name
        if path.is_dir():  # no .mo files: the build compiles the catalogs itself
            ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
            shutil.copytree(path, source / name, ignore=ignored)
        else:
            shutil.copy2(path, source / name)
    isolation = ["--no-build-isolation"] if can_build_wheels_here() else []
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *isolation,
         "-w", str(out), str(source)], timeout=180)  # fmt: skip
    [wheel] = out.glob("webapp-*.whl")
    return wheel


def run(command: list[str], timeout: float = 60, **options) -> subprocess.CompletedProcess:
    """A command that must succeed; its output shown when it does not."""
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False, **options
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done


class Installed:
    """The wheel installed in a virtual environment of its own, made without pip; the
    dependencies are this interpreter's, named by a ``.pth`` file after the environment's own
    packages (so the checkout's editable webapp is not among them)."""

    def __init__(self, wheel: Path, venv: Path, work: Path):
        self.wheel = wheel
        self.python = str(venv / "bin" / "python")
        self.site = Path(run([self.python, "-c", PURELIB]).stdout.strip())
        self.cwd = work / "elsewhere"  # a working folder far from the checkout
        self.cwd.mkdir()

    def run(self, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
        return run([self.python, *args], cwd=self.cwd, env=env)

    def start_gunicorn(self, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
        return start_gunicorn(env, port, log, cwd=self.cwd, python=self.python)


PURELIB = "import sysconfig; print(sysconfig.get_paths()['purelib'])"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    work = tmp_path_factory.mktemp("install")
    wheel = build_wheel(work)
    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], timeout=120)
    installed = Installed(wheel, venv, work)
    run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
         "--target", str(installed.site), str(wheel)], timeout=120)  # fmt: skip
    dependencies = run([sys.executable, "-c", PURELIB]).stdout.strip()
    (installed.site / "dependencies.pth").write_text(dependencies + "\n")
    return installed


def test_the_wheel_carries_templates_static_files_migrations_and_compiled_catalogs(installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    expected = {
        "webapp/_data/templates/base.html",
        "webapp/_data/static/css/site.css",
        "webapp/_data/migrations/alembic.ini",
        "webapp/_data/migrations/env.py",
        *(f"webapp/_data/translations/{language}/LC_MESSAGES/messages.mo"
          for language in ("en", "tr", "de", "ar")),
    }  # fmt: skip
    assert expected <= names
    assert not [name for name in names if name.endswith(".po")]


def test_the_installed_copy_is_imported_not_the_checkout(installed):
    where = installed.run("-c", "import webapp; print(webapp.__file__)", env=clean_env())
    assert Path(where.stdout.strip()) == installed.site / "webapp" / "__init__.py"


def test_an_installed_wheel_serves_turkish_pages_and_static_files_from_any_folder(
    installed, tmp_path
):
    instance = tmp_path / "instance"
    env = clean_env(WEBAPP_INSTANCE_PATH=str(instance))
    installed.run("-m", "flask", "--app", "webapp", "init-db", env=env)
    installed.run("-m", "flask", "--app", "webapp", "seed-demo", env=env)
    assert (instance / "webapp.sqlite3").is_file()
    assert (instance / "secret_key").is_file()

    port, log = free_port(), tmp_path / "gunicorn.log"
    process = installed.start_gunicorn(env, port, log)
    try:
        ready = wait_ready(port, process, log)
        assert ready.json() == {
            "status": "ready",
            "database": "ok",
            "translations": "ok",
            "rate_limits": "ok",
        }

        page = call(port, "GET", "/", headers={"Accept": "text/html", "Accept-Language": "tr"})
        assert page.status == 200
        html = page.body.decode()
        assert read_catalog("tr").get("Find your order").string in html
        stylesheet = BeautifulSoup(html, "html.parser").find("link", rel="stylesheet")["href"]
        css = call(port, "GET", stylesheet, headers={"Accept": "text/css"})
        assert (css.status, css.headers["Content-Type"].split(";")[0]) == (200, "text/css")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    assert "No compiled catalog" not in log.read_text(errors="replace")


def test_an_installed_wheel_keeps_its_instance_in_the_users_data_folder_by_default(
    installed, tmp_path
):
    data_home = tmp_path / "data"
    env = clean_env(XDG_DATA_HOME=str(data_home))
    made = installed.run(
        "-c",
        "from webapp import create_app; app = create_app(); "
        "print(app.instance_path); print(app.config['DATABASE_URL'])",
        env=env,
    )
    *_, instance_path, database_url = made.stdout.splitlines()
    assert instance_path == str(data_home / "webapp")
    assert database_url == f"sqlite:///{data_home / 'webapp' / 'webapp.sqlite3'}"
    assert (data_home / "webapp" / "secret_key").is_file()


# --- a missing catalog, without a wheel -----------------------------------------------------


@pytest.fixture()
def catalogs_without_tr_and_de(tmp_path) -> Path:
    """The four catalogs as .po files; only English and Arabic compiled."""
    for language in ("en", "tr", "de", "ar"):
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        shutil.copy2(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", folder)
        if language in ("en", "ar"):
            with (folder / "messages.mo").open("wb") as file:
                write_mo(file, read_catalog(language))
    return tmp_path


def test_readyz_answers_503_naming_the_languages_without_a_compiled_catalog(
    make_app, catalogs_without_tr_and_de
):
    app = make_app(BABEL_TRANSLATION_DIRECTORIES=str(catalogs_without_tr_and_de))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "ok",
        "translations": "missing: tr, de",
    }


def test_an_app_without_a_compiled_catalog_starts_and_logs_an_error_naming_it(
    make_app, catalogs_without_tr_and_de, caplog, monkeypatch
):
    # An app made outside tests keeps the app's lines from the root logger, where caplog reads.
    monkeypatch.setattr(logging.getLogger("webapp"), "propagate", True)
    make_app(BABEL_TRANSLATION_DIRECTORIES=str(catalogs_without_tr_and_de))
    # caplog may see the line twice, when an earlier test left a handler on the app's logger.
    records = [r for r in caplog.records if r.name == "webapp" and hasattr(r, "missing_catalogs")]
    assert records
    record = records[-1]
    assert record.levelno == logging.ERROR
    assert "tr, de" in record.getMessage()
    assert record.missing_catalogs == ["tr", "de"]
