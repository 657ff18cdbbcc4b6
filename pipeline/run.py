"""One command's work, in the order of the procedure: read the campaign, check the templates, compute the outcome,
plan the papers, and hand the plan to the engine. `make check` stops before the engine; `make status` reads the
same outcome. Every command validates the whole campaign, so a value is right or wrong the same way everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.model import CampaignData
from pipeline.engine import build as engine
from pipeline.engine.converters import Server, choose_servers
from pipeline.engine.jobs import Plan
from pipeline.errors import TemplateError
from pipeline.outcome import Outcome, compute_outcome
from pipeline.papers.registry import plan_outputs
from pipeline.papers.template_check import check_templates

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

Planner = Callable[[CampaignData, Outcome, Sequence[str]], Plan]


@dataclass(frozen=True)
class Prepared:
    """A campaign read and computed: what every planner and the status screen read."""

    data: CampaignData
    outcome: Outcome


def prepare(campaign_dir: Path) -> Prepared:
    """Read and check the campaign folder, then run every stage it allows, once (InputErrors: all problems)."""
    data = load_campaign_folder(campaign_dir)
    return Prepared(data, compute_outcome(data, campaign_dir))


def check_template_folder(templates_dir: Path, deep: bool = True) -> None:
    problems = check_templates(templates_dir, deep=deep)
    if problems:
        raise TemplateError("模板有问题，未生成任何文件：\n" + "\n".join(f"  {p}" for p in problems))


def plan_campaign(campaign_dir: Path, targets: Sequence[str], templates_dir: Path = TEMPLATES,
                  planner: Planner = plan_outputs, *, deep_check: bool = True) -> tuple[Prepared, Plan]:
    """Everything up to the engine: load, check templates, compute, plan (what `make check` runs). deep_check
    False: the templates passed every check with this code in the last build (engine.build says when)."""
    data = load_campaign_folder(campaign_dir, templates_dir)
    check_template_folder(templates_dir, deep=deep_check)
    prepared = Prepared(data, compute_outcome(data, campaign_dir))
    return prepared, planner(prepared.data, prepared.outcome, targets)


def build(campaign_dir: Path, out_dir: Path, targets: Sequence[str], *, planner: Planner = plan_outputs,
          templates_dir: Path = TEMPLATES, workers: int = 2, log: Callable[[str], None] | None = None,
          convert_timeout: float | None = None, converters: str | Sequence[Server] | None = None,
          ) -> engine.BuildReport:
    """Build the papers of `targets` for the campaign in campaign_dir into out_dir.

    converters: unoserver servers ("host:port,..." or Server items) to convert through instead of this
    machine's LibreOffice (docs/reference.md, 转换服务器); the command line also reads PIPELINE_CONVERTERS.
    """
    if isinstance(converters, str):
        converters = choose_servers(converters)
    return engine.build(campaign_dir, out_dir, targets,
                        make_plan=lambda checked: plan_campaign(campaign_dir, targets, templates_dir, planner,
                                                                deep_check=not checked)[1],
                        templates_dir=templates_dir, workers=workers, log=log, convert_timeout=convert_timeout,
                        converters=list(converters) if converters else None)
