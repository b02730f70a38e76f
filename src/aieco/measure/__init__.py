"""The counting engine: methods (unit, attribution, counting, date basis), the grid, indicators, groups, sectors."""
