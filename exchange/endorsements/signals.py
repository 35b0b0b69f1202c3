"""Signals sent after an endorsement change is committed (for notifications, search and the like)."""
from blinker import Namespace

_signals = Namespace()

# sender: the Endorsement; keyword arguments: actor, article, created (True for a new one)
endorsement_saved = _signals.signal("endorsement-saved")
# sender: the Article; keyword arguments: actor
endorsement_withdrawn = _signals.signal("endorsement-withdrawn")
