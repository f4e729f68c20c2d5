"""`nianbao site --out DIR [--db FILE] [--serve] [--port N] [--no-crops]`: the static site
(warehouse/site/build.py), and optionally a local web server over it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.settings import DEFAULT_DB


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("site", help="write a static site over the warehouse: search, coverage, problems, trends, "
                                    "bodies year by year, review pages (works offline from the folder)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="folder to write (a folder an earlier `nianbao site` wrote is replaced)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.add_argument("--serve", action="store_true", help="then serve the folder on http://127.0.0.1:PORT/ until Ctrl-C")
    p.add_argument("--port", type=int, default=8014, help="port for --serve (default 8014)")
    p.add_argument("--no-crops", action="store_true",
                   help="review pages without page images (faster; the images need the stored originals)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from extractors.template import load_template
    from warehouse.readonly import WarehouseError, open_read_only
    from warehouse.site.build import SiteError, build

    try:
        con = open_read_only(args.db)
    except WarehouseError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    try:
        built = build(con, args.out, load_template(), crops=not args.no_crops)
    except SiteError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"nianbao: cannot write the site: {e.strerror or e}: {e.filename or args.out}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(f"{built.out / 'index.html'}: {built.reports} reports, {built.bodies} bodies, {built.charts} charts")
    if args.serve:
        return serve(built.out, args.port)
    return 0


def serve(folder: Path, port: int) -> int:
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    try:
        httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as e:
        print(f"nianbao: cannot serve on port {port}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"serving http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0
