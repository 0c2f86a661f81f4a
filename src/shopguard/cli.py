"""The `shopguard` command: mounts each capability's commands and wires their runtime."""

from __future__ import annotations

import typer

from shopguard.admin import (
    audit_app,
    keys_app,
    metrics_command,
    policy_app,
    serve_command,
)
from shopguard.demo import demo_command
from shopguard.enforcement.commands import (
    review_app,
    statements_app,
    subjects_app,
    violations_app,
)
from shopguard.privacy.commands import vault_app
from shopguard.reporting.commands import report_command
from shopguard.runtime import Runtime
from shopguard.screening.commands import pii_scan_command, screen_command
from shopguard.simulation.commands import simulate_command

app = typer.Typer(
    name="shopguard",
    help="Trust and safety for e-commerce marketplaces.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _wire(ctx: typer.Context) -> None:
    # Each command builds its runtime (settings from the environment) through this factory.
    ctx.obj = Runtime


pii_app = typer.Typer(help="Personal data in free text.", no_args_is_help=True)
pii_app.command("scan")(pii_scan_command)

app.command("screen")(screen_command)
app.command("serve")(serve_command)
app.command("metrics")(metrics_command)
app.command("simulate")(simulate_command)
app.command("report")(report_command)
app.command("demo")(demo_command)
app.add_typer(keys_app, name="keys")
app.add_typer(pii_app, name="pii")
app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")
app.add_typer(subjects_app, name="subjects")
app.add_typer(statements_app, name="statements")
app.add_typer(violations_app, name="violations")
app.add_typer(review_app, name="review")
app.add_typer(vault_app, name="vault")


def main() -> None:
    app()
