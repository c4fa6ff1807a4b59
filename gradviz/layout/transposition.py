"""Transposition: swapping neighbours in a layer while that lowers the crossings (dot's
``transpose``), the local search that polishes every crossing-minimisation sweep."""

from __future__ import annotations

import numpy as np

from gradviz.layout.proper import ProperGraph

TRANSPOSE_ROUNDS = 8
SEQUENTIAL_MAX = 2000  # up to this many nodes plain Python beats numpy's per-call cost


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + c)`` for every pair, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    return np.arange(total) - np.repeat(ends - counts - starts, counts)


class Transposer:
    """Transposition over the state an :class:`~gradviz.layout.ordering.Orderer` keeps."""

    g: ProperGraph
    n_layers: int
    pos: np.ndarray
    node_at: np.ndarray
    layer_start: np.ndarray
    rec_nbr: np.ndarray
    rec_side: np.ndarray
    rec_start: np.ndarray
    rec_count: np.ndarray
    pair_slots: list[np.ndarray]

    def _sync(self) -> None:
        raise NotImplementedError

    def _pair_slots(self) -> list[np.ndarray]:
        """Left slots of the disjoint neighbour pairs, for each (layer parity, slot parity)."""
        slot = np.arange(len(self.pos))
        lay = np.repeat(np.arange(self.n_layers), np.diff(self.layer_start))
        rel = slot - self.layer_start[lay]
        ok = slot + 1 < self.layer_start[lay + 1]
        return [
            slot[ok & (lay % 2 == parity) & (rel % 2 == offset)]
            for parity in (0, 1)
            for offset in (0, 1)
        ]

    def _transpose_step(
        self, slots: np.ndarray, reverse: bool, dirty: np.ndarray, marked: np.ndarray
    ) -> int:
        """Swap, at once, every pair of neighbours starting at ``slots`` whose swap lowers the
        crossings; the pairs are disjoint and in layers two apart, so the swaps do not interact.
        Only pairs touching a ``dirty`` or ``marked`` node are looked at; swapped nodes and
        their neighbours get ``marked``."""
        left = self.node_at[slots]
        right = self.node_at[slots + 1]
        keep = dirty[left] | dirty[right] | marked[left] | marked[right]
        left, right = left[keep], right[keep]
        npairs = len(left)
        if npairs == 0:
            return 0
        counts = self.rec_count[np.concatenate([left, right])]
        recs = _ranges(self.rec_start[np.concatenate([left, right])], counts)
        n_rec = len(recs)
        if n_rec == 0:
            return 0
        owner = np.repeat(np.arange(2 * npairs), counts)  # pair k: u is k, v is npairs + k
        is_v = owner >= npairs
        q = self.pos[self.rec_nbr[recs]]
        span = int(q.max()) + 1
        group = (owner - npairs * is_v) * 2 + self.rec_side[recs]
        # Sorted by (pair, side, neighbour position, u before v); a "run" shares the first three.
        key = (group * span + q) * 2 + is_v
        order = np.argsort(key, kind="stable")
        key = key[order] >> 1
        g_sorted = key // span
        is_u = ~is_v[order]
        u_cum = np.cumsum(is_u)
        u_excl = u_cum - is_u
        edge = np.empty(n_rec, dtype=bool)
        edge[0] = True
        np.not_equal(key[1:], key[:-1], out=edge[1:])
        run_start = np.maximum.accumulate(np.where(edge, np.arange(n_rec), 0))
        np.not_equal(g_sorted[1:], g_sorted[:-1], out=edge[1:])
        gstart = np.flatnonzero(edge)
        gsize = np.diff(gstart, append=n_rec)
        base = np.repeat(u_excl[gstart], gsize)
        u_total = np.repeat(u_cum[gstart + gsize - 1], gsize)
        vsel = ~is_u
        pv = g_sorted[vsel] >> 1
        # c0: u-neighbours right of each v-neighbour (crossings now); c1: left of it (after).
        c0 = np.bincount(pv, weights=(u_total - u_cum)[vsel], minlength=npairs)
        c1 = np.bincount(pv, weights=(u_excl[run_start] - base)[vsel], minlength=npairs)
        swap = (c1 < c0) | ((c1 == c0) & (c0 > 0)) if reverse else c1 < c0
        if not swap.any():
            return 0
        a, b = left[swap], right[swap]
        pa = self.pos[a]
        self.pos[a] = pa + 1
        self.pos[b] = pa
        slot_a = slots[keep][swap]
        self.node_at[slot_a] = b
        self.node_at[slot_a + 1] = a
        moved = np.concatenate([a, b])
        marked[moved] = True
        marked[self.rec_nbr[_ranges(self.rec_start[moved], self.rec_count[moved])]] = True
        return int((c0 - c1)[swap].sum())

    def transpose(self, reverse: bool, rounds: int = TRANSPOSE_ROUNDS) -> None:
        """Adjacent swaps until none helps or ``rounds`` run out (dot's transpose)."""
        if len(self.pos) <= SEQUENTIAL_MAX:
            self._transpose_py(reverse, rounds)
            return
        # Odd-even transposition: whole classes of disjoint pairs at once.
        dirty = np.ones(len(self.pos), dtype=bool)
        for _ in range(rounds):
            delta = 0
            marked = np.zeros(len(self.pos), dtype=bool)
            for slots in self.pair_slots:
                delta += self._transpose_step(slots, reverse, dirty, marked)
            if delta < 1:
                break
            dirty = marked

    def _transpose_py(self, reverse: bool, rounds: int) -> None:
        """dot's sequential transpose in plain Python: for small graphs numpy's per-call cost
        outweighs the work. Layers whose neighbourhood did not change are skipped."""
        starts = self.layer_start.tolist()
        flat = self.node_at.tolist()
        order = [flat[starts[j] : starts[j + 1]] for j in range(self.n_layers)]
        p = self.pos.tolist()
        up, down = self.g.up, self.g.down
        n_layers = self.n_layers
        candidate = [True] * n_layers
        for _ in range(rounds):
            delta = 0
            for j in range(n_layers):
                if not candidate[j]:
                    continue
                candidate[j] = False
                layer = order[j]
                for i in range(len(layer) - 1):
                    v, w = layer[i], layer[i + 1]
                    c0 = c1 = 0
                    for nbrs in (up, down):
                        a_list, b_list = nbrs[v], nbrs[w]
                        if not a_list or not b_list:
                            continue
                        for a in a_list:
                            pa = p[a]
                            for b in b_list:
                                pb = p[b]
                                if pa > pb:
                                    c0 += 1
                                elif pa < pb:
                                    c1 += 1
                    if c1 < c0 or (reverse and c0 > 0 and c1 == c0):
                        layer[i], layer[i + 1] = w, v
                        p[v], p[w] = i + 1, i
                        delta += c0 - c1
                        candidate[j] = True
                        if j > 0:
                            candidate[j - 1] = True
                        if j + 1 < n_layers:
                            candidate[j + 1] = True
            if delta < 1:
                break
        self.pos[:] = p
        self._sync()
