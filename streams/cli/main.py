"""The `sitrep` command: argument parsing only; each subcommand calls one module."""

from __future__ import annotations

import argparse
import asyncio
import logging.config
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from streams import __version__
from streams.classify import CATEGORIES, CLASSIFIER_VERSION
from streams.cli import evaluate as eval_command
from streams.cli.tail import SHOW_FIELDS, show_fields
from streams.config import ENV_NAMES, ConfigError, Settings, is_port
from streams.domain.rules import RuleError
from streams.errors import USAGE_EXIT, UsageError, one_line, readable_file
from streams.runtime.observability.logs import logging_config

Handler = Callable[[argparse.Namespace, Settings], int]
PIPE_CLOSED_EXIT = 128 + 13  # SIGPIPE


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.log_format:
            settings = replace(settings, log_format=args.log_format)
        logging.config.dictConfig(logging_config(settings.log_level, settings.log_format))
        handler: Handler = args.handler
        status = handler(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at exit
        return status
    except (ConfigError, UsageError) as exc:
        print(f"sitrep: {one_line(exc)}", file=sys.stderr)
        return USAGE_EXIT
    except RuleError as exc:  # raised while the worker (or replay) loads SITREP_RULES
        rules = f"{ENV_NAMES['rules_path']}={os.environ.get(ENV_NAMES['rules_path'])}"
        print(f"sitrep: {rules}: {one_line(exc)}; fix the file or unset it", file=sys.stderr)
        return USAGE_EXIT
    except BrokenPipeError:
        return _pipe_closed()
    except KeyboardInterrupt:
        return 130


def _pipe_closed() -> int:
    """The reader of stdout went away (`sitrep tail ... | head`): stop quietly, as `cat` or `grep` do.

    Exit 141 (128 + SIGPIPE), the status the shell shows for those tools when they die of SIGPIPE:
    not 2, which says the user erred (they did not), and not 0, which under `set -o pipefail` would
    hide a writer that stopped before its end."""
    # Python flushes stdout again at exit; pointing it at /dev/null keeps that flush from failing too.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return PIPE_CLOSED_EXIT


def _port(text: str) -> int:
    """An argparse type: a TCP port, so that `--port 99999` is refused by argparse (exit 2)."""
    if not is_port(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1-65535)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitrep", description="Conflict news in, typed military events out."
    )
    parser.add_argument(
        "--log-format", choices=["json", "text"], help="log line format (env SITREP_LOG_FORMAT)"
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    broker = commands.add_parser("broker", help="a local Apache Kafka broker (KRaft), no Docker needed")
    broker_commands = broker.add_subparsers(required=True, metavar="ACTION")
    for action, help_text in (
        ("start", "fetch, format, start, wait"),
        ("stop", "stop cleanly"),
        ("status", ""),
    ):
        sub = broker_commands.add_parser(action, help=help_text or "say whether it runs")
        sub.add_argument("--port", type=_port, default=9092)
        sub.add_argument("--data-dir", type=Path, help="default: $SITREP_HOME/broker-PORT")
        sub.set_defaults(handler=_broker, action=action)

    worker = commands.add_parser("worker", help="run a stream worker (the classify agent and the web views)")
    worker.add_argument("--web-port", type=int, help="web port (env SITREP_WEB_PORT, default 6066)")
    worker.set_defaults(handler=_worker)

    ingest = commands.add_parser("ingest", help="send articles from files to articles.raw")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".jsonl, .json or .txt")
    ingest.add_argument("--topic", help="topic to send to (default: articles.raw with the prefix)")
    ingest.add_argument("--progress", action="store_true", help="show progress even when not on a terminal")
    ingest.add_argument(
        "--dry-run", action="store_true", help="check every article as the worker would; send nothing"
    )
    ingest.add_argument(
        "--resume-from", metavar="FILE:LINE", help="skip what comes before (printed by an interrupted run)"
    )
    ingest.set_defaults(handler=_ingest)

    _add_tail(commands)

    classify = commands.add_parser("classify", help="classify files offline; print enriched articles")
    classify.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    classify.set_defaults(handler=_classify)

    evaluate = commands.add_parser("eval", help="score the classifier on a labelled set")
    eval_command.add_arguments(evaluate)
    evaluate.set_defaults(handler=_eval)

    rules = commands.add_parser("rules", help="check an alert rules file (docs/rules.md)")
    rules_check = rules.add_subparsers(dest="rules_action", required=True).add_parser(
        "check", help="refuse a rule that cannot fire or always fires; OK otherwise"
    )
    rules_check.add_argument("file", type=Path, metavar="FILE")
    rules_check.set_defaults(handler=_rules_check)

    train = commands.add_parser("train", help="rebuild the learned detector's weights from the corpus")
    _add_train_arguments(train)
    train.set_defaults(handler=_train)

    replay = commands.add_parser(
        "replay", help="reprocess articles.raw from a point in time through the live worker's claims stage"
    )
    replay.add_argument("--since", required=True, metavar="DATE", help="RFC 3339 or YYYY-MM-DD (UTC)")
    replay.add_argument("--until", metavar="DATE", help="stop before this time (default: now)")
    replay.add_argument("--rate", type=float, metavar="N", help="at most N articles/s")
    replay.add_argument("--progress", action="store_true", help="show progress even when not on a terminal")
    replay.set_defaults(handler=_replay)

    _add_bench(commands)
    _add_topics(commands)

    demo = commands.add_parser("demo", help="broker + worker + sample articles in, events out")
    demo.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="articles to send (default: samples)"
    )
    demo.add_argument("--timeout", type=float, default=120.0, help="give up after this many seconds")
    demo.set_defaults(handler=_demo)
    return parser


def _add_tail(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`sitrep tail`: print topics' messages, filtered, with their metadata on request."""
    tail = commands.add_parser("tail", help="print a topic's messages as JSON lines")
    tail.add_argument("topics", nargs="+", metavar="TOPIC", help="e.g. events.supply (the prefix is added)")
    tail.add_argument("--from-beginning", action="store_true")
    tail.add_argument("--limit", type=_positive_int, help="stop after N messages in all")
    tail.add_argument("--timeout", type=float, help="stop after this many seconds without a message")
    tail.add_argument(
        "--category",
        action="append",
        type=str.lower,
        choices=CATEGORIES,
        help="only events of this category (repeatable)",
    )
    tail.add_argument("--actor", action="append", help="only events whose actor is this (repeatable)")
    tail.add_argument("--min-confidence", type=float, help="only events at least this confident")
    tail.add_argument("--new-claims-only", action="store_true", help="only the first report of each claim")
    tail.add_argument(
        "--format", choices=["json", "line"], default="json", help="JSON lines or readable lines"
    )
    tail.add_argument(
        "--show",
        type=show_fields,
        default=(),
        metavar="FIELD,...",
        help=f"print these with each message: {','.join(SHOW_FIELDS)}",
    )
    tail.set_defaults(handler=_tail)


def _add_bench(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`sitrep bench`: the options go to bench/pipeline.py as they are."""
    # bench/pipeline.py parses its own options (`--help` included): this parser must not take `--x`
    # for an option of its own, and REMAINDER cannot start with one (CPython bpo-17050), so no `-` here.
    bench = commands.add_parser(
        "bench",
        help="benchmark the pipeline on a real broker (bench/README.md)",
        prefix_chars="+",
        add_help=False,
    )
    bench.add_argument(
        "rest", nargs="*", metavar="OPTION", help="--articles N --json PATH --soak N --heap --plot ... --help"
    )
    bench.set_defaults(handler=_bench)


def _add_topics(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`sitrep topics [list | describe TOPIC | lag [--group G] [TOPIC...]] [--json]`."""
    topics = commands.add_parser("topics", help="the prefix's topics: list, describe one, consumer-group lag")
    topics.add_argument("--json", action="store_true", help="one JSON document instead of a table")
    topics.set_defaults(handler=_topics)  # no ACTION: list
    topic_actions = topics.add_subparsers(metavar="ACTION", dest="topics_action")
    json_flag = argparse.ArgumentParser(add_help=False)
    json_flag.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="JSON, not a table")
    topic_actions.add_parser(
        "list", parents=[json_flag], help="partitions, replication factor, offsets (the default)"
    )
    describe = topic_actions.add_parser(
        "describe", parents=[json_flag], help="partitions, leaders, replicas, ISR, configs set"
    )
    describe.add_argument("topic", metavar="TOPIC", help="e.g. articles.raw (the prefix is added)")
    lag = topic_actions.add_parser(
        "lag", parents=[json_flag], help="a consumer group's committed offset, end offset and lag"
    )
    lag.add_argument("topics", nargs="*", metavar="TOPIC", help="default: every topic the group committed on")
    lag.add_argument("--group", help="consumer group (default: the worker's, SITREP_APP_ID)")


def _version() -> str:
    """What `--version` prints: the package, and the classifier whose version outputs carry."""
    return f"sitrep {__version__} (classifier {CLASSIFIER_VERSION})"


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return number


def _broker(args: argparse.Namespace, settings: Settings) -> int:
    from streams import broker

    if args.action == "start":
        print(broker.start(port=args.port, data_dir=args.data_dir))
        return 0
    if args.action == "stop":
        stopped = broker.stop(port=args.port, data_dir=args.data_dir)
        print("stopped" if stopped else "not running")
        return 0
    state = broker.status(port=args.port, data_dir=args.data_dir)
    print(f"running at {state.bootstrap} (pid {state.pid})" if state.running else "not running")
    return 0 if state.running else 3


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.runtime.worker import run_worker

    if args.web_port is not None:
        try:
            settings = replace(settings, web_port=args.web_port)
        except ConfigError:
            raise UsageError(f"--web-port {args.web_port} is not a port (1-65535)") from None
    return run_worker(settings)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli.ingest import run_ingest
    from streams.contracts.topics import TopicNames

    topic = args.topic or TopicNames(settings.topic_prefix).raw
    summary = run_ingest(
        settings,
        args.paths,
        topic,
        dry_run=args.dry_run,
        resume_from=args.resume_from,
        show_progress=args.progress,
    )
    return summary.exit_code


def _tail(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli.tail import event_filter, render_json, render_line, tail

    topics = [settings.topic_prefix + name for name in args.topics]
    keep = event_filter(
        categories=args.category,
        actors=args.actor,
        min_confidence=args.min_confidence,
        new_claims_only=args.new_claims_only,
    )
    asyncio.run(
        tail(
            settings.bootstrap_servers,
            topics,
            from_beginning=args.from_beginning,
            limit=args.limit,
            idle_timeout=args.timeout,
            keep=keep,
            render=lambda record: (render_line if args.format == "line" else render_json)(record, args.show),
            security=settings,
        )
    )
    return 0


def _classify(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli.classify import classify_files

    return classify_files(args.paths, settings, sys.stdout)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    for dataset in args.dataset:
        readable_file(Path(dataset), "labelled JSON Lines file")
    return eval_command.run(args)


def _rules_check(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli import rules

    return rules.check(args.file)


def _add_train_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="the corpus (default: corpus)")
    parser.add_argument("--shared", type=Path, help="the shared labelled sets (default: ../shared/data)")
    parser.add_argument("--out", type=Path, help="where to write (default: the package's data directory)")


def _train(args: argparse.Namespace, settings: Settings) -> int:
    from streams.learn.data import need_training_tools

    need_training_tools()
    from streams.learn import train  # scikit-learn: the dev extra, not the runtime

    return train.run(args)


def _replay(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from streams.cli.progress import Progress
    from streams.cli.replay import ReplayError, parse_when, replay

    since = _moment("--since", args.since, parse_when)
    until = _moment("--until", args.until, parse_when) if args.until else None
    if until is not None and until <= since:
        raise UsageError(f"--until {args.until} is not after --since {args.since}; swap or widen them")
    if args.rate is not None and args.rate <= 0:
        raise UsageError(f"--rate {args.rate:g} must be more than 0 articles/s; leave it out for no limit")
    progress = Progress(0, "replay", force=args.progress)
    try:
        result = asyncio.run(replay(settings, since, until=until, rate=args.rate, progress=progress))
    except ReplayError as exc:
        print(f"sitrep: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict()))
    return 0


def _moment(flag: str, text: str, parse: Callable[[str], datetime]) -> datetime:
    try:
        return parse(text)
    except ValueError:
        raise UsageError(
            f"{flag} {text!r} is not a date; write RFC 3339 (2026-03-01T08:00:00Z) or YYYY-MM-DD (UTC)"
        ) from None


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    root = Path(__file__).resolve().parents[2]
    if not (root / "bench" / "pipeline.py").is_file():
        print("sitrep bench runs from a source checkout (bench/ is not installed)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(root))
    from bench.pipeline import main as bench_main

    result: int = bench_main(args.rest, prog="sitrep bench")
    return result


def _topics(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from streams.kafka import admin

    try:
        if args.topics_action == "describe":
            state = asyncio.run(admin.describe_topic(settings, args.topic))
            print(json.dumps(state.as_dict()) if args.json else admin.describe_text(state))
        elif args.topics_action == "lag":
            lag = asyncio.run(admin.group_lag(settings, args.group or settings.app_id, args.topics))
            print(json.dumps(lag.as_dict()) if args.json else admin.lag_table(lag))
        else:
            states = asyncio.run(admin.list_topics(settings))
            print(json.dumps([s.summary() for s in states]) if args.json else admin.topics_table(states))
    except admin.UnknownTopicError as exc:
        print(
            f"sitrep: no topic {exc} on {settings.bootstrap_servers}: `sitrep topics` lists them",
            file=sys.stderr,
        )
        return 2
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli.demo import run_demo

    return run_demo(args.paths, settings, timeout=args.timeout)


if __name__ == "__main__":
    sys.exit(main())
