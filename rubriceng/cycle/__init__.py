"""The bureau's yearly cycle: forms back (intake), review (复核), history across years,
and the batch summary and ranking.
"""
