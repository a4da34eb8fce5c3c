/* Live weight sliders: re-rank the options in the browser on every input event.
 *
 * Reimplements, over the embedded unweighted performance matrix, exactly what
 * `evaluator score --method M --weight C1=v1 ... --weight Cn=vn` computes:
 *   weights      w = v / sum(v)                     (evaluator/weights.py apply_overrides)
 *                feasibility "expected": w_feas = 0, then w / sum(w) again (evaluation.prepare)
 *   normalize    evaluator/scoring/normalize.py     (pymcdm conventions, per criterion column)
 *   kernels      evaluator/scoring/{weighted_sum,weighted_product,topsis,promethee,vikor}.py
 *   ranking      evaluator/scoring/ranking.py       (ties within 1e-9 x max|score|, chained;
 *                average ranks; order inside a tie by option id)
 * Text from the data is only ever set with textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("slider-data");
  var list = document.getElementById("live-ranking");
  if (!dataNode || !list) {
    return;
  }
  var data = JSON.parse(dataNode.textContent);
  var X = data.matrix; // m x n, options x criteria
  var types = data.types; // +1 benefit, -1 cost
  var m = X.length;
  var n = types.length;
  var inputs = Array.prototype.slice.call(
    document.querySelectorAll('input[type="range"][data-criterion]')
  );
  var byCriterion = {};
  inputs.forEach(function (input) {
    byCriterion[input.getAttribute("data-criterion")] = input;
  });
  var status = document.getElementById("weights-status");
  var leader = null;

  function column(j) {
    var out = new Array(m);
    for (var i = 0; i < m; i++) out[i] = X[i][j];
    return out;
  }

  function minOf(a) {
    var v = a[0];
    for (var i = 1; i < a.length; i++) if (a[i] < v) v = a[i];
    return v;
  }

  function maxOf(a) {
    var v = a[0];
    for (var i = 1; i < a.length; i++) if (a[i] > v) v = a[i];
    return v;
  }

  function sumOf(a) {
    var s = 0;
    for (var i = 0; i < a.length; i++) s += a[i];
    return s;
  }

  /* Normalized matrix r (m x n), every column "higher is better" afterwards.
   *   minmax        benefit (x - min)/(max - min), cost (max - x)/(max - min); constant -> 1
   *   offset-minmax 1 + minmax                                     (onto [1, 2])
   *   sum           benefit x / sum(x), cost (1/x) / sum(1/x)
   *   linear        benefit x / max, cost min / x
   *   vector        benefit x / ||x||, cost 1 - x / ||x||; all-zero column -> 0
   *   none          benefit x, cost -x
   */
  function normalize(method) {
    var r = [];
    for (var i = 0; i < m; i++) r.push(new Array(n));
    for (var j = 0; j < n; j++) {
      var x = column(j);
      var cost = types[j] < 0;
      var lo = minOf(x);
      var hi = maxOf(x);
      var k;
      if (method === "minmax" || method === "offset-minmax") {
        var span = hi - lo;
        var shift = method === "offset-minmax" ? 1 : 0;
        for (k = 0; k < m; k++) {
          r[k][j] = shift + (span === 0 ? 1 : (cost ? hi - x[k] : x[k] - lo) / span);
        }
      } else if (method === "sum") {
        var oriented = x.map(function (v) { return cost ? 1 / v : v; });
        var total = sumOf(oriented);
        for (k = 0; k < m; k++) r[k][j] = oriented[k] / total;
      } else if (method === "linear") {
        for (k = 0; k < m; k++) r[k][j] = cost ? lo / x[k] : x[k] / hi;
      } else if (method === "vector") {
        var norm = Math.sqrt(sumOf(x.map(function (v) { return v * v; })));
        for (k = 0; k < m; k++) {
          var unit = norm === 0 ? 0 : x[k] / norm;
          r[k][j] = norm === 0 ? 0 : cost ? 1 - unit : unit;
        }
      } else if (method === "none") {
        for (k = 0; k < m; k++) r[k][j] = cost ? -x[k] : x[k];
      } else {
        throw new Error("unknown normalization " + method);
      }
    }
    return r;
  }

  /* Weighted sum S_i = sum_j w_j r_ij (higher is better). */
  function weightedSum(w) {
    var r = normalize(data.normalization);
    return r.map(function (row) {
      var s = 0;
      for (var j = 0; j < n; j++) s += w[j] * row[j];
      return s;
    });
  }

  /* Weighted product P_i = exp(sum_j w_j ln r_ij); "none" uses raw x (costs as 1/x). */
  function weightedProduct(w) {
    var r;
    if (data.normalization === "none") {
      r = X.map(function (row) {
        return row.map(function (v, j) { return types[j] < 0 ? 1 / v : v; });
      });
    } else {
      r = normalize(data.normalization);
    }
    return r.map(function (row) {
      var s = 0;
      for (var j = 0; j < n; j++) s += w[j] * Math.log(row[j]);
      return Math.exp(s);
    });
  }

  /* TOPSIS closeness C_i = D-_i / (D+_i + D-_i), with
   * D+_i^2 = sum_j w_j^2 (r_ij - max_i r_ij)^2 and D-_i^2 = sum_j w_j^2 (r_ij - min_i r_ij)^2;
   * 0.5 when both distances are 0. */
  function topsis(w) {
    var r = normalize(data.normalization);
    var best = [];
    var worst = [];
    for (var j = 0; j < n; j++) {
      var col = r.map(function (row) { return row[j]; });
      best.push(maxOf(col));
      worst.push(minOf(col));
    }
    return r.map(function (row) {
      var dp = 0;
      var dm = 0;
      for (var j = 0; j < n; j++) {
        var w2 = w[j] * w[j];
        dp += w2 * (row[j] - best[j]) * (row[j] - best[j]);
        dm += w2 * (row[j] - worst[j]) * (row[j] - worst[j]);
      }
      dp = Math.sqrt(dp);
      dm = Math.sqrt(dm);
      var total = dp + dm;
      return total === 0 ? 0.5 : dm / total;
    });
  }

  /* PROMETHEE II net flow with the usual criterion, on raw values:
   * d_j(a, b) = t_j (x_aj - x_bj); P(d) = 1 if d > 0 else 0;
   * phi(a) = sum_j w_j sum_b [P(d_j(a, b)) - P(d_j(b, a))] / (m - 1). */
  function prometheeII(w) {
    if (data.preference !== "usual") {
      throw new Error("only the usual preference function is available in the browser");
    }
    var div = Math.max(m - 1, 1);
    var out = [];
    for (var a = 0; a < m; a++) {
      var s = 0;
      for (var j = 0; j < n; j++) {
        var flow = 0;
        for (var b = 0; b < m; b++) {
          var d = (X[a][j] - X[b][j]) * types[j];
          if (d > 0) flow += 1;
          if (-d > 0) flow -= 1;
        }
        s += w[j] * (flow / div);
      }
      out.push(s);
    }
    return out;
  }

  /* VIKOR Q (lower is better): N_ij = (f*_j - x_ij) / (f*_j - f-_j) (0 for a constant column),
   * S_i = sum_j w_j N_ij, R_i = max_j w_j N_ij,
   * Q_i = v (S_i - S*)/(S- - S*) + (1 - v)(R_i - R*)/(R- - R*), a term whose spread is within
   * 1e-9 x max|term| counting as 0. */
  function vikor(w) {
    var S = [];
    var R = [];
    var bestV = [];
    var spanV = [];
    for (var j = 0; j < n; j++) {
      var x = column(j);
      var lo = minOf(x);
      var hi = maxOf(x);
      var cost = types[j] < 0;
      bestV.push(cost ? lo : hi);
      spanV.push(cost ? lo - hi : hi - lo);
    }
    for (var i = 0; i < m; i++) {
      var s = 0;
      var rmax = -Infinity;
      for (var k = 0; k < n; k++) {
        var dist = spanV[k] === 0 ? 0 : (bestV[k] - X[i][k]) / spanV[k];
        s += w[k] * dist;
        if (w[k] * dist > rmax) rmax = w[k] * dist;
      }
      S.push(s);
      R.push(rmax);
    }
    function scaled(t) {
      var lo = minOf(t);
      var spread = maxOf(t) - lo;
      var big = maxOf(t.map(Math.abs));
      return t.map(function (v) {
        return spread <= 1e-9 * big ? 0 : (v - lo) / spread;
      });
    }
    var sS = scaled(S);
    var sR = scaled(R);
    var v = data.vikorV;
    return sS.map(function (q, i) { return v * q + (1 - v) * sR[i]; });
  }

  var KERNELS = {
    "weighted-sum": weightedSum,
    "weighted-product": weightedProduct,
    topsis: topsis,
    "promethee-ii": prometheeII,
    vikor: vikor
  };

  /* Tie groups (chained within rtol x max|score|), average ranks, order by (group, id). */
  function rankScores(scores) {
    var key = scores.map(function (s) { return data.higherIsBetter ? -s : s; });
    var idx = scores.map(function (_, i) { return i; });
    idx.sort(function (a, b) { return key[a] - key[b] || a - b; });
    var tol = data.tieRtol * maxOf(scores.map(Math.abs));
    var group = new Array(m);
    var g = 0;
    for (var k = 0; k < m; k++) {
      if (k > 0 && key[idx[k]] - key[idx[k - 1]] > tol) g += 1;
      group[idx[k]] = g;
    }
    var counts = [];
    group.forEach(function (gr) { counts[gr] = (counts[gr] || 0) + 1; });
    var first = [];
    var seen = 0;
    for (var q = 0; q < counts.length; q++) {
      first.push(seen + 1);
      seen += counts[q];
    }
    var ranks = group.map(function (gr) { return first[gr] + (counts[gr] - 1) / 2; });
    var ids = data.options.map(function (o) { return o.id; });
    var order = scores.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      if (group[a] !== group[b]) return group[a] - group[b];
      return ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0;
    });
    return { order: order, ranks: ranks };
  }

  function fixed(value, digits) {
    var text = value.toFixed(digits);
    return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
  }

  function rankText(rank) {
    return rank % 1 === 0 ? String(rank) : rank.toFixed(1);
  }

  /* Slider values -> the weight vector the CLI would use, or null if they are all zero. */
  function currentWeights() {
    var v = data.criteria.map(function (c) {
      var value = parseFloat(byCriterion[c].value);
      return isFinite(value) && value > 0 ? value : 0;
    });
    var total = sumOf(v);
    if (!(total > 0)) return null;
    var w = v.map(function (x) { return x / total; });
    if (data.feasibility === "expected") {
      w[data.feasibilityIndex] = 0;
      var rest = sumOf(w);
      if (!(rest > 0)) return null;
      w = w.map(function (x) { return x / rest; });
    }
    return w;
  }

  function showWeights(w) {
    data.criteria.forEach(function (c, j) {
      var out = document.querySelector('output[data-weight-for="' + c + '"]');
      if (out) out.textContent = fixed(w[j], 3);
    });
  }

  function update() {
    var w = currentWeights();
    if (w === null) {
      status.textContent =
        "All weights are zero: raise a slider to rank again (the last ranking is kept).";
      return;
    }
    showWeights(w);
    var scores = KERNELS[data.method](w);
    var result = rankScores(scores);
    var items = {};
    Array.prototype.forEach.call(list.querySelectorAll("li[data-option-id]"), function (li) {
      items[li.getAttribute("data-option-id")] = li;
    });
    result.order.forEach(function (i) {
      var li = items[data.options[i].id];
      li.querySelector(".live-rank").textContent = rankText(result.ranks[i]);
      li.querySelector(".live-score").textContent = fixed(scores[i], 3);
      list.appendChild(li);
    });
    var top = data.options[result.order[0]];
    if (top.id !== leader) {
      status.textContent = "First now: " + top.title;
      leader = top.id;
    } else if (status.textContent.indexOf("All weights") === 0) {
      status.textContent = "";
    }
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", update);
  });
  var reset = document.getElementById("reset-weights");
  if (reset) {
    reset.addEventListener("click", function () {
      inputs.forEach(function (input) {
        input.value = input.defaultValue;
      });
      update();
    });
  }
  leader = list.querySelector("li[data-option-id]").getAttribute("data-option-id");

  /* Print every collapsed detail, then restore. */
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open;
    });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
})();
