"""Seeded synthetic inventories: the Northshire sample trust and national-scale estates.

- :func:`sample_trust` builds "Northshire Hospitals NHS Foundation Trust", a fictional ~750-bed
  acute trust on two sites (:mod:`.northshire` holds its hand-written tables, :mod:`.trust`
  wires them together);
- :func:`national` tiles trust-shaped estates across many organisations (:mod:`.national`);
- :func:`deep` builds layered estates (applications on VM hosts on storage and network, directory
  services under everything, engines in the middle, regional hubs and shared EPRs closing
  cycles of about 300 systems), where downstream reach is large (:mod:`.deep`).

All are deterministic for a given seed.
"""

from inventory.synthetic.deep import deep
from inventory.synthetic.national import national
from inventory.synthetic.northshire import TRUST_ODS
from inventory.synthetic.trust import sample_trust

__all__ = ["TRUST_ODS", "deep", "national", "sample_trust"]
