"""Profiles in the window: two communities (two sandboxes on loopback), the switcher, the
Profiles dialog; each keeps its own cache folder and its own saved searches."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop import paths, profiles
from desktop import settings as settings_store
from desktop.cache.locks import held
from desktop.cache.storage import WORK_NAME
from desktop.dialects import registry
from desktop.sandbox.process import SandboxProcess
from desktop.secrets import TokenStore
from desktop.settings import ConnectionChoice, Settings
from tests.ui.conftest import community_of, session_of, wait_idle_after_sync, window_of
from ui.connect.connect_dialog import ConnectForm, Connection
from ui.shell.controller import AppController
from ui.shell.profile_switch import SWITCH_ID
from ui.shell.profiles_dialog import ProfilesDialog
from ui.single_instance import LOCK_NAME, Claim, SingleInstance

MEMBERS = 200


@pytest.fixture()
def two_sandboxes(tmp_path: Path) -> Iterator[tuple[SandboxProcess, SandboxProcess]]:
    with (
        SandboxProcess(data_dir=tmp_path / "north", members=MEMBERS, seed=3) as north,
        SandboxProcess(data_dir=tmp_path / "south", members=MEMBERS, seed=5) as south,
    ):
        yield north, south


def never(*_args: object) -> None:
    raise AssertionError("nothing should have been asked")


def _new_window(qtbot: QtBot, controller: AppController, old: object) -> None:
    qtbot.waitUntil(lambda: controller.window not in (None, old), timeout=30_000)
    qtbot.addWidget(window_of(controller))
    wait_idle_after_sync(qtbot, controller)


def test_two_communities_switch_and_each_keeps_its_cache_and_settings(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    two_sandboxes: tuple[SandboxProcess, SandboxProcess],
    artifacts: Path,
) -> None:
    north, south = two_sandboxes
    settings = Settings()
    v1 = ConnectionChoice(registry.DEFAULT_KIND)
    north_profile = profiles.add(settings, "North", north.url, v1)
    south_profile = profiles.add(settings, "South", south.url, v1)
    TokenStore().set(north.url, north.tokens["moderator"])
    TokenStore().set(south.url, south.tokens["moderator"])
    controller = make_controller(settings, server=north.url, server_kind=None, ask_token=never)
    wait_idle_after_sync(qtbot, controller)
    window = window_of(controller)
    combo = controller.switcher.combo
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())] == ["Demo", "North", "South"]
    assert combo.currentText() == "North"
    window.members.save_search("North only")
    north_folder = paths.profile_dir(north.url)
    assert community_of(controller).cache.directory == north_folder
    assert north_folder.name == north_profile.id
    north_members = community_of(controller).cache.counts().members
    # Two awards queued and not sent (sending paused): they stay in North's work file.
    outbox = community_of(controller).outbox
    session_of(controller).set_paused(True)
    qtbot.waitUntil(outbox.paused)
    badge_id = community_of(controller).cache.badges()[0].id
    outbox.queue_awards([1, 2], badge_id, reason="profiles test")
    assert outbox.pending_count() == 2

    # File ▸ Community ▸ Switch to ▸ South.
    assert controller.switcher._switch_menu is not None
    [south_action] = [a for a in controller.switcher._switch_menu.actions() if a.text() == "South"]
    south_action.trigger()
    _new_window(qtbot, controller, window)
    assert controller.profile == south.url
    assert not window.isVisible()
    assert controller.settings.saved_searches == {}
    assert controller.switcher.combo is not None and controller.switcher.combo.currentText() == "South"
    south_folder = paths.profile_dir(south.url)
    assert community_of(controller).cache.directory == south_folder != north_folder
    assert (north_folder / WORK_NAME).exists()
    assert community_of(controller).cache.counts().members > 0
    assert community_of(controller).outbox.pending_count() == 0
    window_of(controller).grab().save(str(artifacts / "profiles-switched.png"))

    # And back with the status bar's list: North's cache and its saved search are still there.
    south_window = window_of(controller)
    combo = controller.switcher.combo
    combo.setCurrentIndex(combo.findText("North"))
    combo.activated.emit(combo.currentIndex())
    _new_window(qtbot, controller, south_window)
    assert controller.profile == north.url
    assert list(controller.settings.saved_searches) == ["North only"]
    assert community_of(controller).cache.counts().members == north_members
    assert community_of(controller).outbox.pending_count() == 2
    settings_store.save(controller.settings)
    loaded = settings_store.load()
    assert list(loaded.saved_searches) == ["North only"]
    loaded.use_profile(south_profile.url)
    assert loaded.saved_searches == {}
    assert north_profile.id != south_profile.id


def test_the_profiles_dialog_adds_renames_and_removes(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_controller: Callable[..., AppController],
    two_sandboxes: tuple[SandboxProcess, SandboxProcess],
    artifacts: Path,
) -> None:
    north, south = two_sandboxes
    settings = Settings()
    TokenStore().set(north.url, north.tokens["moderator"])
    controller = make_controller(
        settings, server=north.url, server_kind=registry.DEFAULT_KIND, ask_token=never
    )
    wait_idle_after_sync(qtbot, controller)
    window = window_of(controller)

    dialog = ProfilesDialog(settings, controller.switcher.current().id, window)
    qtbot.addWidget(dialog)
    # The server accepted the key: north became a profile by itself, named after its host.
    assert dialog.list.count() == 2
    assert not dialog.remove_button.isEnabled()  # the open one
    dialog.show()
    dialog.grab().save(str(artifacts / "profiles-dialog.png"))
    dialog.close()

    # Add: asked as File ▸ Connect… asks, then named; the switch checks the key, which is
    # stored in the keyring once the server accepts it.
    key = south.tokens["moderator"]

    def ask_connection(_parent: object, _form: ConnectForm) -> Connection:
        return Connection(south.url, ConnectionChoice(registry.DEFAULT_KIND), key)

    names = iter(["South", "Old north"])
    questions: list[str] = []

    def yes(_parent: object, _title: str, text: str) -> bool:
        questions.append(text)
        return True

    def open_dialog() -> ProfilesDialog:
        made = ProfilesDialog(settings, controller.switcher.current().id, window_of(controller))
        made.ask_connection = ask_connection
        made.ask_text = lambda *_args, **_kwargs: next(names)
        made.confirm = yes
        return made

    # File ▸ Community ▸ Profiles… with the dialog's Add clicked (no modal loop in a test).
    monkeypatch.setattr(
        "ui.shell.profiles_dialog.ProfilesDialog",
        lambda *_args: _Immediate(open_dialog(), ProfilesDialog.add),
    )
    controller.switcher.manage()
    _new_window(qtbot, controller, window)
    assert controller.profile == south.url
    assert community_of(controller).cache.directory == paths.profile_dir(south.url)
    qtbot.waitUntil(lambda: TokenStore().get(south.url) == key, timeout=10_000)
    north_name = north.url.split("://", 1)[1]
    assert [p.name for p in profiles.all_profiles(settings)] == ["Demo", north_name, "South"]

    def on_disk() -> list[str]:
        # Saved straight away, not only at exit (another BadgeDesk may save meanwhile).
        return [p.name for p in profiles.all_profiles(settings_store.load())]

    assert on_disk() == ["Demo", north_name, "South"]

    # Rename north, then remove it: the question says what goes, then its cache and keyring entry go.
    dialog = open_dialog()
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(1)
    dialog.rename()
    assert [p.name for p in profiles.all_profiles(settings)] == ["Demo", "Old north", "South"]
    assert on_disk() == ["Demo", "Old north", "South"]
    removed: list[profiles.Profile] = []
    dialog.removed.connect(removed.append)
    assert dialog.selected() == profiles.find(settings, north.url)
    assert dialog.remove_button.isEnabled()
    dialog.remove()
    [question] = questions
    assert "Old north" in question and "keyring" in question and str(paths.profile_dir(north.url)) in question
    [gone] = removed
    # Listed until its data is gone.
    assert [p.name for p in profiles.all_profiles(settings)] == ["Demo", "Old north", "South"]
    controller.switcher.delete_data(gone)
    qtbot.waitUntil(lambda: len(profiles.all_profiles(settings)) == 2, timeout=10_000)
    assert not paths.profile_dir(north.url).exists()
    assert TokenStore().get(north.url) is None
    assert [p.name for p in profiles.all_profiles(settings)] == ["Demo", "South"]
    assert on_disk() == ["Demo", "South"]
    assert paths.profile_dir(south.url).is_dir()
    assert TokenStore().get(south.url) == key


class _Immediate:
    """Stands for the dialog in Community ▸ Profiles…: runs ``act`` instead of a modal loop."""

    def __init__(self, dialog: ProfilesDialog, act: Callable[[ProfilesDialog], None]) -> None:
        self.dialog, self.act = dialog, act
        self.switch_requested, self.added, self.removed = (
            dialog.switch_requested,
            dialog.added,
            dialog.removed,
        )
        self.removal_finished = dialog.removal_finished

    def exec(self) -> int:
        self.act(self.dialog)
        return 1

    def deleteLater(self) -> None:
        self.dialog.deleteLater()


def test_a_community_open_elsewhere_is_not_opened_twice_by_switching(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_controller: Callable[..., AppController],
    two_sandboxes: tuple[SandboxProcess, SandboxProcess],
) -> None:
    north, south = two_sandboxes
    settings = Settings()
    v1 = ConnectionChoice(registry.DEFAULT_KIND)
    profiles.add(settings, "North", north.url, v1)
    south_profile = profiles.add(settings, "South", south.url, v1)
    TokenStore().set(north.url, north.tokens["moderator"])
    TokenStore().set(south.url, south.tokens["moderator"])
    controller = make_controller(settings, server=north.url, server_kind=None, ask_token=never)
    wait_idle_after_sync(qtbot, controller)
    mine = SingleInstance()
    assert mine.claim(north.url) is Claim.FIRST
    controller.switcher.single_instance = mine
    told: list[str] = []
    monkeypatch.setattr(
        "ui.shell.profile_switch.tell", lambda _parent, _title, text, _icon: told.append(text)
    )
    # Another BadgeDesk holds South's cache (its lock file) and does not answer.
    with held(paths.profile_dir(south.url) / LOCK_NAME):
        assert not controller.switcher.switch(south_profile)
    assert controller.profile == north.url and controller.window is not None
    [text] = told
    assert "South" in text and "did not answer" in text
    # This process still answers for North, and South is free again.
    assert mine.profile == north.url
    assert controller.switcher.switch(south_profile)
    assert controller.profile == south.url and mine.profile == south.url
    _new_window(qtbot, controller, None)
    mine.release()


def test_the_community_opened_last_without_a_keyring_asks_for_its_key(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    two_sandboxes: tuple[SandboxProcess, SandboxProcess],
) -> None:
    """``badgedesk`` alone opens where the user left off; no keyring: the key is asked for, over its cache."""
    import keyring

    from tests.core.test_settings_and_secrets import FailingKeyring
    from ui import app

    north, _south = two_sandboxes
    stored = Settings()
    profiles.add(stored, "North", north.url, ConnectionChoice(registry.DEFAULT_KIND))
    stored.use_profile(north.url)
    settings_store.save(stored)
    keyring.set_keyring(FailingKeyring())
    args = app.parse_args([])
    assert app.choose_community(args) and args.server == north.url
    asked: list[str] = []

    def ask(_parent: object, message: str) -> str:
        asked.append(message)
        return north.tokens["moderator"]

    controller = make_controller(
        settings_store.load(), server=args.server, server_kind=args.server_kind, ask_token=ask
    )
    wait_idle_after_sync(qtbot, controller)
    assert len(asked) == 1 and "No system keyring" in asked[0]
    assert community_of(controller).cache.directory == paths.profile_dir(north.url)
    assert session_of(controller).last_sync is not None


def test_the_switch_key_is_a_rebindable_shortcut(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    """Ctrl+Shift+K is in the shortcut registry: the editor lists it, its conflict check sees it, a
    new key reaches the action and the status bar's tooltip, and the next window keeps it."""
    settings = Settings(demo_members=MEMBERS, getting_started_shown=True)
    controller = make_controller(settings)
    window, switcher = window_of(controller), controller.switcher
    shortcuts = window.queue.shortcuts
    assert switcher.switch_action is not None and switcher.combo is not None
    assert shortcuts.key(SWITCH_ID).toString() == "Ctrl+Shift+K"
    assert switcher.switch_action.shortcut().toString() == "Ctrl+Shift+K"
    assert shortcuts.spec(SWITCH_ID).title == "Switch community"
    # Global: a review key on it clashes.
    shortcuts.set_key("review.approve", "Ctrl+Shift+K")
    assert [(a, b) for a, b, _key in shortcuts.conflicts()] == [("review.approve", SWITCH_ID)]
    shortcuts.reset("review.approve")
    shortcuts.set_key(SWITCH_ID, "Ctrl+Alt+K")
    assert switcher.switch_action.shortcut().toString() == "Ctrl+Alt+K"
    assert "Ctrl+Alt+K" in switcher.combo.toolTip() and "Ctrl+Shift+K" not in switcher.combo.toolTip()
    settings.shortcuts = shortcuts.overrides()
    assert settings.shortcuts == {SWITCH_ID: "Ctrl+Alt+K"}
    old = window
    assert switcher.switch(profiles.demo(settings)) is False  # already open: nothing to do
    assert controller.switch_to(None)
    _new_window(qtbot, controller, old)
    assert switcher.switch_action.shortcut().toString() == "Ctrl+Alt+K"


def test_a_community_whose_data_cannot_be_deleted_stays_listed_and_says_why(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_controller: Callable[..., AppController],
    artifacts: Path,
) -> None:
    settings = Settings(demo_members=MEMBERS, getting_started_shown=True)
    forum = profiles.add(settings, "Forum", "https://forum.example", ConnectionChoice(registry.DEFAULT_KIND))
    TokenStore().set(forum.url, "forum-key")
    folder = paths.profile_dir(forum.url)
    folder.mkdir(parents=True)
    (folder / WORK_NAME).write_text("queued work")
    controller = make_controller(settings)
    window, switcher = window_of(controller), controller.switcher
    told: list[str] = []
    switcher.tell = lambda _parent, _title, text, _icon: told.append(text)

    def refuse(path: object, *_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(folder / WORK_NAME))

    # Removed in the Profiles dialog (open while the worker deletes).
    dialog = ProfilesDialog(settings, switcher.current().id, window)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda *_args: True
    dialog.tell = lambda _parent, _title, text, _icon: told.append(text)
    dialog.removed.connect(switcher.delete_data)
    switcher.removal_finished.connect(dialog.removal_finished)
    switcher._dialog_open = True
    dialog.list.setCurrentRow(1)
    with monkeypatch.context() as patched:
        patched.setattr(shutil, "rmtree", refuse)
        patched.setattr(Path, "unlink", refuse)  # its files go one by one, the lock files last
        dialog.remove()
        item = dialog.list.item(1)
        assert item is not None and item.text().endswith("being removed…")
        dialog.list.setCurrentRow(1)
        assert not dialog.remove_button.isEnabled() and not dialog.switch_button.isEnabled()
        assert not dialog.rename_button.isEnabled()
        dialog.show()
        dialog.grab().save(str(artifacts / "profiles-dialog-removing.png"))
        assert switcher.switch(forum) is False  # not opened while its data is being deleted
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    [why] = told
    assert why.startswith("The community Forum was not removed: Its cache folder")
    assert str(folder) in why and "Permission denied" in why and str(folder / WORK_NAME) in why
    assert why.endswith("It stays in the list: remove it again once that is fixed.")
    assert window.status.message.text() == why
    # Still listed everywhere, its cache and key kept.
    assert [p.name for p in profiles.all_profiles(settings)] == ["Demo", "Forum"]
    item = dialog.list.item(1)
    assert item is not None and item.text() == "Forum (https://forum.example)"
    dialog.list.setCurrentRow(1)
    assert dialog.remove_button.isEnabled()
    assert switcher.combo is not None and switcher.combo.findData(forum.id) >= 0
    assert (folder / WORK_NAME).exists() and TokenStore().get(forum.url) == "forum-key"

    # The Profiles dialog closed meanwhile: a message box says it. Removing again finishes the job.
    switcher._dialog_open = False
    switcher.removal_finished.disconnect(dialog.removal_finished)
    with monkeypatch.context() as patched:
        patched.setattr(shutil, "rmtree", refuse)
        patched.setattr(Path, "unlink", refuse)  # its files go one by one, the lock files last
        switcher.delete_data(forum)
        qtbot.waitUntil(lambda: len(told) == 2, timeout=10_000)
    assert told[1] == why
    switcher.removal_finished.connect(dialog.removal_finished)
    switcher._dialog_open = True
    dialog.list.setCurrentRow(1)
    dialog.remove()
    qtbot.waitUntil(lambda: len(profiles.all_profiles(settings)) == 1, timeout=10_000)
    assert not folder.exists() and TokenStore().get(forum.url) is None
    assert dialog.list.count() == 1 and switcher.combo.findData(forum.id) < 0
    assert len(told) == 2


def test_the_profiles_dialog_refuses_a_second_community_for_one_address(qtbot: QtBot) -> None:
    settings = Settings()
    profiles.add(settings, "Forum", "https://forum.example", ConnectionChoice("discourse", "mod_alice"))
    dialog = ProfilesDialog(settings, "demo")
    qtbot.addWidget(dialog)
    dialog.ask_connection = lambda _parent, _form: Connection(
        "https://forum.example/", ConnectionChoice("discourse", "mod_bob"), "bobs-key"
    )
    dialog.ask_text = lambda *_args, **_kwargs: "Forum as Bob"
    told: list[str] = []
    dialog.tell = lambda _parent, _title, text, _icon: told.append(text)
    added: list[object] = []
    dialog.added.connect(lambda *args: added.append(args))
    dialog.add()
    [why] = told
    assert "already the community 'Forum', acting as 'mod_alice'" in why
    assert "to act as 'mod_bob' there, open 'Forum' and change its user in File ▸ Connect to a server…" in why
    assert added == [] and dialog.list.count() == 2
    assert [p.name for p in profiles.all_profiles(settings)] == ["Demo", "Forum"]
    assert TokenStore().get("https://forum.example") is None  # Bob's key went nowhere


def test_a_community_a_command_has_open_is_not_removed_under_it(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    """``badgedesk sync --profile Forum`` (or a cache open anywhere) holds its profile.lock shared:
    removing it is refused, its folder and key kept; once it is closed, removing works."""
    from desktop.cache.database import Cache

    settings = Settings(demo_members=MEMBERS, getting_started_shown=True)
    forum = profiles.add(settings, "Forum", "https://forum.example", ConnectionChoice(registry.DEFAULT_KIND))
    TokenStore().set(forum.url, "forum-key")
    folder = paths.profile_dir(forum.url)
    controller = make_controller(settings)
    switcher = controller.switcher
    told: list[str] = []
    switcher.tell = lambda _parent, _title, text, _icon: told.append(text)
    running = Cache(folder)
    try:
        switcher.delete_data(forum)
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)
        assert (folder / WORK_NAME).exists() and TokenStore().get(forum.url) == "forum-key"
    finally:
        running.close()
    [why] = told
    assert why.startswith("The community Forum was not removed: It is open in another BadgeDesk or a command")
    assert [p.name for p in profiles.all_profiles(settings)] == ["Demo", "Forum"]
    switcher.delete_data(forum)
    qtbot.waitUntil(lambda: len(profiles.all_profiles(settings)) == 1, timeout=10_000)
    assert not folder.exists() and TokenStore().get(forum.url) is None
