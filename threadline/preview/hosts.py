"""Who the dev server answers: the editor's own browser, at the address it printed, and nothing else."""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from tornado import web
from tornado.httputil import HTTPServerRequest
from tornado.routing import Matcher


@dataclass(frozen=True)
class Hosts:
    """The addresses the editor's browser reaches this server at: all its Host and Origin may name.

    Anything else is a page of another site whose DNS name now points at this machine (DNS
    rebinding); it must not read the unpublished investigation.
    """

    port: int = 0
    names: frozenset[str] = frozenset()  # lower case, IPv6 addresses in brackets
    any_address: bool = False  # listening on every interface: any IP address (never a DNS name) is ours

    def serves(self, host: str) -> bool:
        """True when a Host header (`name:port`, or `name` for port 80) names this server."""
        match = re.fullmatch(r"(\[[0-9a-f:.]+\]|[^:\[\]/@]+)(?::(\d{1,5}))?", host.strip().lower())
        if not match or int(match[2] or 80) != self.port:
            return False
        return match[1] in self.names or (self.any_address and _is_address(match[1]))

    def allows_origin(self, origin: str) -> bool:
        """True for the Origin of a page this server served."""
        parts = urlsplit(origin)
        return parts.scheme == "http" and not parts.path and self.serves(parts.netloc)


def served_hosts(host: str, sockets: list[socket.socket]) -> Hosts:
    """The names of the listening sockets: their addresses, `host` as given, and localhost on loopback."""
    addresses = [ipaddress.ip_address(s.getsockname()[0].split("%")[0]) for s in sockets]
    names = {f"[{a}]" if a.version == 6 else str(a) for a in addresses}
    names.add(f"[{host.lower()}]" if ":" in host else host.lower())
    if any(a.is_loopback or a.is_unspecified for a in addresses):
        names.add("localhost")
    return Hosts(sockets[0].getsockname()[1], frozenset(names - {""}), any(a.is_unspecified for a in addresses))


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


class OwnHost(Matcher):
    """Requests whose Host header names this server."""

    def __init__(self, hosts: Hosts):
        self.hosts = hosts

    def match(self, request: HTTPServerRequest) -> dict | None:
        return {} if self.hosts.serves(request.headers.get("Host", "")) else None


class Refused(web.RequestHandler):
    """Every request naming another host, whatever its method or path: 403 and one line of text."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("403 Forbidden: this preview answers only at its own address, the one `build.py serve` printed\n")
