"""Commands on the policy kept with the inventory: ``modernise policy use FILE`` and
``modernise policy show``.

A policy kept in the store is used by every command that plans the store's inventory
without ``--policy``; each such command says which policy it used (name and hash).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.base import (
    DEFAULT_DB,
    DbOption,
    app,
    command,
    console,
    plain,
    policy_line,
    store,
    stored_policy,
    wrote,
)

__all__ = ["policy_group"]

policy_group = typer.Typer(
    help="The policy kept with the inventory in the store, used by later commands.",
    no_args_is_help=True,
)
app.add_typer(policy_group, name="policy")


@command("use", group=policy_group)
def use_command(
    path: Annotated[Path, typer.Argument(help="Policy YAML to keep with the inventory.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Keep a policy file with the inventory in the store (an audited batch; undo reverts
    it): later commands on the store plan under it unless given --policy."""
    from planner.api import resolve_policy

    checked = resolve_policy(path)  # a policy with problems is refused, nothing is stored
    text = path.read_text(encoding="utf-8-sig")
    with store(db, create=False, read_only=False) as opened:
        batch = opened.use_policy(path.name, text, checked.sha256)
    wrote(db)
    console().print(plain(f"Batch {batch}: {db} now plans under {policy_line(checked)[8:]}"))


@command("show", group=policy_group)
def show_command(db: DbOption = DEFAULT_DB) -> None:
    """Say which policy the store's inventory is planned under."""
    kept = stored_policy(db) if db.is_file() else None
    if kept is None:
        console().print(
            plain(f"{db} keeps no policy: commands use the default policy.yaml or --policy")
        )
        return
    console().print(plain(policy_line(kept)))
