"""Makes validity_fixtures.json: correlations computed by scipy, which the
service's own (src/domain/correlation.rs) must equal to 1e-9. Run once with
scipy installed: python3 tests/support/validity_fixtures.py"""
import json, random
import numpy as np, scipy
from scipy import stats

random.seed(20261206)
fixtures = []
def add(xs, ys):
    p = stats.pearsonr(xs, ys)
    s = stats.spearmanr(xs, ys)
    ci = p.confidence_interval(0.95)
    fixtures.append({"x": xs, "y": ys, "pearson": float(p.statistic), "pearson_ci": [float(ci.low), float(ci.high)], "spearman": float(s.statistic)})

# vote scores (means of 1..4 votes) against ratings 1..5 with ties
for n, rho in [(20, 0.3), (25, 0.0), (40, 0.6), (57, -0.2), (120, 0.45), (300, 0.25)]:
    xs, ys = [], []
    for _ in range(n):
        votes = [random.randint(1, 4) for _ in range(4)]
        x = sum(votes) / 4
        y = min(5, max(1, round(3 + rho * (x - 2.5) * 2 + random.gauss(0, 0.9))))
        xs.append(x); ys.append(float(y))
    add(xs, ys)
# continuous values, decimals, negative relation
for n in [21, 33, 80]:
    xs = [random.uniform(1, 4) for _ in range(n)]
    ys = [round(5 - x + random.gauss(0, 0.7), 1) for x in xs]
    add(xs, ys)
# heavy ties
xs = [1.0]*10 + [2.0]*10 + [3.0]*10
ys = [float(random.randint(1, 5)) for _ in xs]
add(xs, ys)
out = {"generator": f"scipy {scipy.__version__} (PyPI, with numpy {np.__version__}): pearsonr(x, y).statistic, pearsonr(x, y).confidence_interval(0.95) (Fisher z), spearmanr(x, y).statistic; made once by tests/support/validity_fixtures.py", "fixtures": fixtures}
json.dump(out, open("tests/support/validity_fixtures.json", "w"), indent=1)
print(len(fixtures))
