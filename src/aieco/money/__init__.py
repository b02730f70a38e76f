"""Money: offline exchange rates (ECB, HMRC) and conversion."""

from aieco.money.convert import convert, implied_rate
from aieco.money.rates import rate

__all__ = ["convert", "implied_rate", "rate"]
