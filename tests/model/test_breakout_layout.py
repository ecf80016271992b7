"""A cable's ends as port lists: one port at end a, one or several (a breakout's legs) at end b."""

from __future__ import annotations

from model.layout import Cable, cable_ends, cable_refs, is_breakout


def test_a_plain_cable_has_one_port_at_each_end():
    cable = Cable(id="c1", a="leaf01:p1", b="srv01:nic1")
    assert cable_ends(cable) == (("leaf01:p1",), ("srv01:nic1",))
    assert cable_refs(cable) == ("leaf01:p1", "srv01:nic1")
    assert not is_breakout(cable)
