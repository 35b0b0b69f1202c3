"""Things kept by key within a byte budget, the least recently used dropped first.

The page cache keeps rendered pages in one; the search arrays keep posting lists in another.
Not thread-safe: a caller shared between threads holds its own lock.
"""
from collections import OrderedDict


class SizedLRU:
    def __init__(self, budget: int):
        self.budget, self.size = budget, 0
        self.items: OrderedDict = OrderedDict()  # key -> (value, size)

    def get(self, key):
        """The value kept for ``key`` (now the most recently used), or None."""
        item = self.items.get(key)
        if item is None:
            return None
        self.items.move_to_end(key)
        return item[0]

    def put(self, key, value, size: int) -> None:
        """Keep ``value``, replacing what ``key`` held; drop the oldest until within budget (the
        newest stays even if it alone is over)."""
        self.pop(key)
        self.items[key] = (value, size)
        self.size += size
        while self.size > self.budget and len(self.items) > 1:
            self.size -= self.items.popitem(last=False)[1][1]

    def pop(self, key) -> None:
        item = self.items.pop(key, None)
        if item is not None:
            self.size -= item[1]

    def __len__(self) -> int:
        return len(self.items)
