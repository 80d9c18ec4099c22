"""Whether a failed commit may have kept its change: a witness of the vote.

A transaction commits in two phases. A storage that fails before every
resource has voted has kept nothing, so the request may be replayed. One that
fails after the vote (a ZEO server killed during `tpc_finish`) may have kept
the change, and replaying the request could make it twice. The witness joins
the transaction and sorts after every storage, so its own vote comes last:
once it has voted, so has everything else.
"""

# Above any key a storage gives (a file name, a server address).
_LAST = "\U0010ffff"


class VoteWitness:
    """A resource manager that keeps nothing and notes that the vote is over."""

    def __init__(self, manager):
        self.transaction_manager = manager
        self.voted = False

    def sortKey(self) -> str:  # noqa: N802 (the transaction package's name)
        """Return a key after every storage's, so that this votes last."""
        return _LAST

    def tpc_vote(self, txn) -> None:
        """Note that every resource before this one has voted."""
        self.voted = True

    def abort(self, txn) -> None:
        """Do nothing: the witness keeps nothing to undo or to finish."""

    tpc_begin = commit = tpc_finish = tpc_abort = abort


def join_witness(manager) -> VoteWitness:
    """Return a new witness joined to the current transaction of `manager`."""
    witness = VoteWitness(manager)
    manager.get().join(witness)
    return witness
