"""Seeded synthetic inventories: the Northshire sample trust and national-scale estates.

- :func:`sample_trust` builds "Northshire Hospitals NHS Foundation Trust", a fictional ~750-bed
  acute trust on two sites (:mod:`.northshire` holds its hand-written tables, :mod:`.trust`
  wires them together);
- :func:`national` tiles trust-shaped estates across many organisations (:mod:`.national`).

Both are deterministic for a given seed.
"""

from inventory.synthetic.national import national
from inventory.synthetic.northshire import TRUST_ODS
from inventory.synthetic.trust import sample_trust

__all__ = ["TRUST_ODS", "national", "sample_trust"]
