"""RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024) with a work limit.

Works on quads of pre-serialized terms (see :mod:`vc.canon.nquads`). The common credential
dataset has a few blank nodes, each with a unique first-degree hash, so only the first-degree
step runs: one hash per blank node and one sort.

RDFC-1.0 §4.4 / §7 ask implementations to guard against "poison" datasets whose N-degree step
takes factorial time. ``max_work`` bounds the number of Hash N-Degree Quads calls plus the
permutations they examine; past it :class:`~vc.errors.CanonicalizationLimitError` is raised.

``max_work_factor`` applies, in addition, the bound of Digital Bazaar's rdf-canonize (used by
jsonld.js and vc-js): at most ``n ** max_work_factor`` Hash N-Degree Quads calls, ``n`` being the
number of blank nodes whose first-degree hashes are shared; its default there is 1. Signing with
that bound guarantees the other side can canonicalize what was signed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from itertools import permutations
from typing import Any

from vc.canon.nquads import Quad
from vc.errors import CanonicalizationLimitError, UsageError

__all__ = [
    "CanonicalResult",
    "DEFAULT_MAX_WORK",
    "HASH_ALGORITHMS",
    "canonicalize",
    "canonicalize_with_map",
]

# Measured: the W3C suite's hardest positive tests (test044c-046c "poison - evil") need 3,348
# units, an RDF list of 50 equal values 6,912; the 10-node clique of test074c needs millions.
# Credentials almost never need any. One unit costs a few microseconds, so the default stops a
# poisoned dataset within about a tenth of a second.
DEFAULT_MAX_WORK = 20_000

# name in the RDFC-1.0 test manifest / our API -> hashlib constructor
HASH_ALGORITHMS: dict[str, Callable[..., Any]] = {
    "sha256": hashlib.sha256,
    "SHA256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "SHA384": hashlib.sha384,
}


class CanonicalResult:
    """Canonical N-Quads and the issued identifiers map (input label -> ``c14nN``, no ``_:``)."""

    __slots__ = ("nquads", "_labels")

    def __init__(self, nquads: str, labels: dict[str, str]) -> None:
        self.nquads = nquads
        self._labels = labels  # with the "_:" prefixes; most callers never ask for the map

    @property
    def issued(self) -> dict[str, str]:
        return {k[2:]: v[2:] for k, v in self._labels.items()}


def canonicalize(
    quads: Sequence[Quad],
    *,
    hash_algorithm: str = "sha256",
    max_work: int = DEFAULT_MAX_WORK,
    max_work_factor: int | None = None,
) -> str:
    """The RDFC-1.0 canonical N-Quads of ``quads`` (lines sorted in code point order)."""
    return _Canonicalizer(quads, hash_algorithm, max_work, max_work_factor).run().nquads


def canonicalize_with_map(
    quads: Sequence[Quad],
    *,
    hash_algorithm: str = "sha256",
    max_work: int = DEFAULT_MAX_WORK,
    max_work_factor: int | None = None,
) -> CanonicalResult:
    """Canonical N-Quads plus the issued identifiers map."""
    return _Canonicalizer(quads, hash_algorithm, max_work, max_work_factor).run()


class _Issuer:
    """Identifier issuer: insertion-ordered map from existing label to issued label."""

    __slots__ = ("prefix", "issued")

    def __init__(self, prefix: str, issued: dict[str, str] | None = None) -> None:
        self.prefix = prefix
        self.issued: dict[str, str] = {} if issued is None else issued

    def issue(self, existing: str) -> str:
        label = self.issued.get(existing)
        if label is None:
            label = self.issued[existing] = self.prefix + str(len(self.issued))
        return label

    def copy(self) -> _Issuer:
        return _Issuer(self.prefix, dict(self.issued))


def _first_degree_term(term: str, reference: str) -> str:
    if term[0] != "_":
        return term
    return "_:a" if term == reference else "_:z"


class _Canonicalizer:
    def __init__(
        self, quads: Sequence[Quad], hash_algorithm: str, max_work: int, max_work_factor: int | None = None
    ) -> None:
        try:
            self.new_hash = HASH_ALGORITHMS[hash_algorithm]
        except KeyError:
            raise UsageError(
                f"Unknown RDFC-1.0 hash algorithm {hash_algorithm!r}; use sha256 or sha384."
            ) from None
        self.max_work = max_work
        self.work = 0
        self.max_work_factor = max_work_factor
        self.deep_left: int | None = None  # Hash N-Degree Quads calls left under max_work_factor
        self.canonical = _Issuer("_:c14n")
        self.first_degree: dict[str, str] = {}
        # blank node to quads map, in order of first appearance (subject, object, graph)
        self.bnode_quads: dict[str, list[Quad]] = {}
        # the output lines of quads without blank nodes (final already), and the other quads
        self.lines: list[str] = []
        self.blank_quads: list[Quad] = []
        # a term's first character tells its kind: "<" IRI, '"' literal, "_" blank node
        bnode_quads = self.bnode_quads
        lines = self.lines
        for quad in quads:
            s, p, o, g = quad
            if s[0] == "_" or o[0] == "_" or (g and g[0] == "_"):
                self.blank_quads.append(quad)
                if s[0] == "_":
                    bnode_quads.setdefault(s, []).append(quad)
                if o[0] == "_" and o != s:
                    bnode_quads.setdefault(o, []).append(quad)
                if g and g[0] == "_" and g != s and g != o:
                    bnode_quads.setdefault(g, []).append(quad)
            elif g:
                lines.append(f"{s} {p} {o} {g} .\n")
            else:
                lines.append(f"{s} {p} {o} .\n")

    def _spend(self, units: int = 1) -> None:
        self.work += units
        if self.work > self.max_work:
            raise CanonicalizationLimitError(
                "RDF canonicalization stopped: the blank nodes of this document need more than "
                f"{self.max_work} Hash N-Degree Quads steps (RDFC-1.0 poison-graph guard). "
                "Such a document cannot be canonicalized safely; simplify its blank-node structure.",
                max_work=self.max_work,
            )

    def run(self) -> CanonicalResult:
        try:
            return self._run()
        except RecursionError:
            # Hash N-Degree Quads recurses along chains of look-alike blank nodes
            raise CanonicalizationLimitError(
                "RDF canonicalization stopped: the document has a chain of blank nodes too long to "
                "tell apart (RDFC-1.0 Hash N-Degree Quads recursion); simplify its structure.",
                max_work=self.max_work,
            ) from None

    def _run(self) -> CanonicalResult:
        hash_to_bnodes: dict[str, list[str]] = {}
        if len(self.bnode_quads) == 1:
            # one blank node (a proof configuration, a simple credential): its first-degree hash is
            # unique whatever it is, so it gets c14n0 without hashing
            hash_to_bnodes[""] = list(self.bnode_quads)
        else:
            for bnode in self.bnode_quads:
                hash_to_bnodes.setdefault(self.hash_first_degree(bnode), []).append(bnode)

        shared: list[list[str]] = []
        for _h, bnodes in sorted(hash_to_bnodes.items()):
            if len(bnodes) == 1:
                self.canonical.issue(bnodes[0])
            else:
                shared.append(bnodes)

        if self.max_work_factor is not None:
            look_alike = sum(len(bnodes) for bnodes in shared)
            self.deep_left = 0 if self.max_work_factor == 0 else look_alike**self.max_work_factor
        for bnodes in shared:
            results: list[tuple[str, _Issuer]] = []
            for bnode in bnodes:
                if bnode in self.canonical.issued:
                    continue
                temporary = _Issuer("_:b")
                temporary.issue(bnode)
                results.append(self.hash_n_degree_quads(bnode, temporary))
            # sort by hash only: equal hashes keep their order (stable), like other implementations
            for _h, issuer in sorted(results, key=lambda r: r[0]):
                for existing in issuer.issued:
                    self.canonical.issue(existing)

        labels = self.canonical.issued
        lines = self.lines
        append = lines.append
        for s, p, o, g in self.blank_quads:
            if s[0] == "_":
                s = labels[s]
            if o[0] == "_":
                o = labels[o]
            if g:
                if g[0] == "_":
                    g = labels[g]
                append(f"{s} {p} {o} {g} .\n")
            else:
                append(f"{s} {p} {o} .\n")
        lines.sort()
        return CanonicalResult("".join(lines), labels)

    # RDFC-1.0 §4.6 Hash First Degree Quads
    def hash_first_degree(self, bnode: str) -> str:
        cached = self.first_degree.get(bnode)
        if cached is not None:
            return cached
        lines = []
        for s, p, o, g in self.bnode_quads[bnode]:
            s = _first_degree_term(s, bnode)
            o = _first_degree_term(o, bnode)
            if g:
                lines.append(f"{s} {p} {o} {_first_degree_term(g, bnode)} .\n")
            else:
                lines.append(f"{s} {p} {o} .\n")
        lines.sort()
        digest = self.new_hash("".join(lines).encode()).hexdigest()
        self.first_degree[bnode] = digest
        return digest

    # RDFC-1.0 §4.7 Hash Related Blank Node
    def hash_related(self, related: str, predicate: str, issuer: _Issuer, position: str) -> str:
        label = self.canonical.issued.get(related) or issuer.issued.get(related)
        if label is None:
            label = self.hash_first_degree(related)
        text = position + label if position == "g" else position + predicate + label
        return self.new_hash(text.encode()).hexdigest()

    # RDFC-1.0 §4.8 Hash N-Degree Quads
    def hash_n_degree_quads(self, bnode: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self._spend()
        if self.deep_left is not None:
            if self.deep_left == 0:
                raise CanonicalizationLimitError(
                    "RDF canonicalization stopped: the blank nodes of this document need more Hash "
                    "N-Degree Quads steps than other implementations allow (rdf-canonize, used by "
                    f"jsonld.js and vc-js, stops at n^{self.max_work_factor} for n look-alike blank "
                    "nodes), so they could not verify it; give the look-alike objects an id or tell them apart.",
                    max_work_factor=self.max_work_factor,
                )
            self.deep_left -= 1
        hash_to_related: dict[str, list[str]] = {}
        for s, p, o, g in self.bnode_quads[bnode]:
            for position, term in (("s", s), ("o", o), ("g", g)):
                if term and term[0] == "_" and term != bnode:
                    digest = self.hash_related(term, p, issuer, position)
                    hash_to_related.setdefault(digest, []).append(term)

        data = self.new_hash()
        canonical = self.canonical.issued
        for related_hash, related_bnodes in sorted(hash_to_related.items()):
            data.update(related_hash.encode())
            chosen_path = ""
            chosen_issuer: _Issuer | None = None
            for permutation in permutations(sorted(related_bnodes)):
                self._spend()
                issuer_copy = issuer.copy()
                path = ""
                recursion: list[str] = []
                skip = False
                for related in permutation:
                    label = canonical.get(related)
                    if label is None:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        label = issuer_copy.issue(related)
                    path += label
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, issuer_copy = self.hash_n_degree_quads(related, issuer_copy)
                    path += issuer_copy.issue(related) + "<" + result_hash + ">"
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data.update(chosen_path.encode())
            assert chosen_issuer is not None  # the first permutation is never skipped
            issuer = chosen_issuer
        return data.hexdigest(), issuer
