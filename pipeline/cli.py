"""Command line: each command is a few lines that hand off to the library."""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from pipeline.errors import PipelineError

COMMANDS: dict[str, tuple[str, callable]] = {}
WRITES_OUT: set[str] = set()  # commands that write OUT: they hold OUT's lock and first tidy up after a killed run


def command(name: str, help_text: str, *, writes_out: bool = False):
    """Register a sub-command; its help is what `python -m pipeline NAME -h` shows."""

    def wrap(fn):
        COMMANDS[name] = (help_text, fn)
        if writes_out:
            WRITES_OUT.add(name)
        return fn

    return wrap


@command("check", "检查 campaign 文件夹中的配置、表格和模板，不生成任何文件")
def cmd_check(args) -> int:
    from pipeline.run import plan_campaign

    # What every build runs before the engine: load and check everything, compute the outcome, plan every paper.
    prepared, plan = plan_campaign(args.campaign, ["all"])
    data = prepared.data
    print(f"检查通过：{len(data.posts)} 个职位，{len(data.applicants)} 名报名人，{len(data.judges)} 名评委，没有发现问题。")
    for reading in data.readings:
        print(reading)
    for skipped in plan.skipped:
        print(f"尚不能生成 {skipped.paper}：{skipped}")
    return 0


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期 {text} 的格式不对，请写成 2026-06-20") from None


def _seconds(text: str) -> float:
    """A positive number of seconds, e.g. for --convert-timeout."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"秒数 {text} 不对，请写一个大于 0 的数，如 600") from None
    return value


def arguments(*specs):
    """Attach argparse arguments to a command: arguments((("--posts",), {"type": int}), ...)."""

    def wrap(fn):
        fn.arguments = specs
        return fn

    return wrap


@command("build", "生成文书：forms、eligibility、scoresheets、bundles 或 all", writes_out=True)
@arguments((("targets",), {"nargs": "+", "help": "要生成的文书类别"}),
           (("--workers",), {"type": int, "default": 2, "help": "同时运行的 LibreOffice 进程数"}),
           (("--convert-timeout",), {"type": _seconds, "default": None,
                                     "help": "每次 LibreOffice 转换最多等待的秒数（默认按文书大小定，最多 3600 秒）"}),
           (("--converters",), {"default": None, "metavar": "主机:端口,…",
                                "help": "用这些 PDF 转换服务器（unoserver）转换，如 10.0.0.5:2003,10.0.0.6:2003；"
                                        "默认读环境变量 PIPELINE_CONVERTERS，未设置则用本机 LibreOffice"}))
def cmd_build(args) -> int:
    from pipeline.papers.registry import PLANNERS
    from pipeline.run import build
    from pipeline.status import next_step

    known = (*PLANNERS, "bundles", "all")
    unknown = [t for t in args.targets if t not in known]
    if unknown:
        raise PipelineError(f"不认识的文书类别：{'、'.join(unknown)}；可用的有：{'、'.join(known)}")
    report = build(args.campaign, args.out, args.targets, workers=args.workers,
                   convert_timeout=args.convert_timeout, converters=args.servers)
    for note in report.notes:
        print(note)
    for skipped in report.skipped:
        print(f"未生成 {skipped.paper}：{skipped}")
    print(report.summary())
    if "all" in args.targets:
        print(next_step(report.skipped, args.out))
    return 0


@command("converter-server", "在本机启动一个 PDF 转换服务器（unoserver），供 CONVERTERS= 使用；Ctrl-C 停止")
@arguments((("--port",), {"type": int, "default": 2003, "help": "监听的端口（默认 2003）"}),
           (("--interface",), {"default": "127.0.0.1",
                               "help": "监听的地址（默认 127.0.0.1 仅本机；0.0.0.0 供其他电脑使用）"}),
           (("--restart-after",), {"type": int, "default": None,
                                   "help": "每转换多少份后重启 LibreOffice（默认 200），以免内存越用越多"}))
def cmd_converter_server(args) -> int:
    from pipeline.engine.converters import RESTART_AFTER, converter_server

    if not 1 <= args.port <= 65535:
        raise PipelineError(f"端口 {args.port} 不对，端口应是 1 到 65535 之间的整数，例如 PORT=2003。")
    restart_after = RESTART_AFTER if args.restart_after is None else args.restart_after
    if restart_after < 1:
        raise PipelineError(f"RESTART_AFTER={restart_after} 不对，应是大于 0 的整数，例如 200。")
    return converter_server(args.port, args.interface, restart_after)


@command("status", "显示活动进行到哪一步、各项人数、公示期和下一步要做的事")
@arguments((("--today",), {"type": _date, "default": None, "help": "按这一天显示（默认今天），如 2026-06-20"}),)
def cmd_status(args) -> int:
    import datetime as dt

    from pipeline.status import campaign_status

    print("\n".join(campaign_status(args.campaign, args.today or dt.date.today(), args.out)))
    return 0


@command("input-templates", "生成空白的输入表格（职位表、报名信息、评委名单），放在 OUT/空白表格/", writes_out=True)
def cmd_input_templates(args) -> int:
    from pipeline.campaign.blank_workbooks import input_templates

    for path in input_templates(args.campaign, args.out):
        print(f"已生成 {path}")
    return 0


@command("clean", "删除本工具在输出文件夹中生成的全部文件（含中断后留下的临时文件夹）", writes_out=True)
def cmd_clean(args) -> int:
    from pipeline.campaign.blank_workbooks import BLANK_FOLDER
    from pipeline.campaign.columns import BLANK_SHEETS
    from pipeline.engine.lock import LOCK_FILE
    from pipeline.engine.staging import clean_out

    left = clean_out(args.out, LOCK_FILE, [f"{BLANK_FOLDER}/{s.file}" for s in BLANK_SHEETS])
    print(f"已清理输出文件夹 {args.out}。")
    if left:
        print("以下文件不是本工具生成的，未删除：" + "、".join(left))
    return 0


@command("check-templates", "检查 templates/ 中的 Word 模板（标签写法、变量名、公示模板可用的字段）")
def cmd_check_templates(args) -> int:
    from pipeline.run import TEMPLATES
    from pipeline.papers.template_check import check_templates_command

    print(check_templates_command(TEMPLATES))
    return 0


@command("repair-templates", "自动改正模板中能安全改正的问题（被拆开的标签、全角括号等），并列出改动")
def cmd_repair_templates(args) -> int:
    from pipeline.run import TEMPLATES
    from pipeline.papers.template_check import repair_templates

    changes = repair_templates(TEMPLATES)
    for change in changes:
        print(f"已改正 {change}")
    print(f"共改正 {len(changes)} 处。" if changes else "没有需要改正的地方。")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistyped command is explained in Chinese."""

    def error(self, message: str):
        self.exit(2, f"命令写法有误（{message}）。运行 python -m pipeline --help 查看可用的命令。\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pipeline", description="机关中层干部竞争上岗文书生成工具")
    parser.add_argument("--campaign", type=Path, default=Path("inputs"), help="campaign 文件夹（默认 inputs）")
    parser.add_argument("--out", type=Path, default=Path("outputs"), help="输出文件夹（默认 outputs）")
    parser.add_argument("--verbose", action="store_true", help="出错时显示完整的程序调用栈")
    parser.add_argument("--wait", action="store_true",
                        help="输出文件夹正被另一个命令使用时，等它结束后再开始（默认立即停止并说明）")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, fn) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.error = parser.error  # type: ignore[method-assign]
        for arg in getattr(fn, "arguments", ()):
            p.add_argument(*arg[0], **arg[1])
        p.set_defaults(func=fn)
    return parser


def run(args) -> int:
    """Run the command; one that writes OUT holds OUT's lock and first finishes or removes a killed run's work."""
    if args.command not in WRITES_OUT:
        return args.func(args)
    from pipeline.engine.lock import out_lock
    from pipeline.engine.staging import recover

    with out_lock(args.out, args.campaign, wait=args.wait):
        recover(args.out, log=lambda msg: print(msg, file=sys.stderr))
        return args.func(args)


def main(argv: list[str] | None = None) -> int:
    from pipeline.engine.safe_paths import UnsafePath

    args = build_parser().parse_args(argv)
    try:
        if args.command == "build":  # a wrong converter list is refused before OUT is touched
            from pipeline.engine.converters import choose_servers

            args.servers = choose_servers(args.converters)
        return run(args)
    except (PipelineError, UnsafePath) as exc:  # UnsafePath: a bug or hostile data, said in Chinese all the same
        print(str(exc), file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return getattr(exc, "exit_code", 1)
    except KeyboardInterrupt:  # Ctrl-C: the staging area and the lock were let go on the way out
        print("已中断，本次命令没有完成。输出文件夹会在下一次运行命令时恢复为完整的状态。", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return 130  # 128 + SIGINT, as a shell reports an interrupted command
