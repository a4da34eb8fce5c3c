/* Live weight sliders: re-rank the options in the browser on every input event.
 *
 * The page only aggregates. Python embeds each method's weight-independent part (m x n,
 * evaluator/scoring/prepared.py aggregation_parts); this file applies the weights to it
 * exactly as evaluator/scoring/prepared.py aggregate() does, and ranks. There is no
 * normalization, matrix or preference function here, only:
 *   weights   w = v / sum(v)                          (evaluator/weights.py apply_overrides)
 *             feasibility "expected": w_feas = 0, then w / sum(w) again (evaluation.prepare)
 *   aggregate the weighted sums, TOPSIS distances and VIKOR S, R, Q of prepared.aggregate
 *   rank      a mirror of evaluator/scoring/ranking.py, with its tolerance and id order
 *             embedded (data.ties), never a constant of its own
 * On load the page ranks at the run's weights and shows an alert if that differs from the
 * embedded ranking. Text from the data is only ever set with textContent.
 * Around the ranking: contribution bars and the head-to-head from the per-criterion terms
 * (prepared.criterion_terms), profile buttons, the view in the URL hash (#w=ID:V,...;a=;b=,
 * restored on load; unknown ids ignored, values clamped to [0, 1]) and the copy command
 * (data.command plus one --weight=ID=V per slider, quoted as Python's shlex.quote).
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("slider-data");
  var list = document.getElementById("live-ranking");
  if (!dataNode || !list) {
    return;
  }
  var data = JSON.parse(dataNode.textContent);
  var parts = data.prepared;
  var A = parts.values; // m x n
  var m = A.length;
  var n = data.criteria.length;
  var inputs = Array.prototype.slice.call(
    document.querySelectorAll('input[type="range"][data-criterion]')
  );
  var byCriterion = {};
  inputs.forEach(function (input) {
    byCriterion[input.getAttribute("data-criterion")] = input;
  });
  var status = document.getElementById("weights-status");
  var leader = null;

  function sumOf(a) {
    var s = 0;
    for (var i = 0; i < a.length; i++) s += a[i];
    return s;
  }

  function maxOf(a) {
    var v = a[0];
    for (var i = 1; i < a.length; i++) if (a[i] > v) v = a[i];
    return v;
  }

  function minOf(a) {
    var v = a[0];
    for (var i = 1; i < a.length; i++) if (a[i] < v) v = a[i];
    return v;
  }

  /* sum_j w_j a_ij for every option i. */
  function weighted(w) {
    return A.map(function (row) {
      var s = 0;
      for (var j = 0; j < n; j++) s += w[j] * row[j];
      return s;
    });
  }

  /* TOPSIS: D+_i = ||w (r_i - ideal)||, D-_i = ||w (r_i - anti-ideal)||, C = D- / (D+ + D-). */
  function topsis(w) {
    return A.map(function (row) {
      var dp = 0;
      var dm = 0;
      for (var j = 0; j < n; j++) {
        var p = (row[j] - parts.ideal[j]) * w[j];
        var q = (row[j] - parts.antiIdeal[j]) * w[j];
        dp += p * p;
        dm += q * q;
      }
      var total = Math.sqrt(dp) + Math.sqrt(dm);
      return total === 0 ? 0.5 : Math.sqrt(dm) / total;
    });
  }

  /* VIKOR Q (lower is better): S_i = sum_j w_j N_ij, R_i = max_j w_j N_ij,
   * Q = v (S - S*)/(S- - S*) + (1 - v)(R - R*)/(R- - R*), a degenerate term counting 0. */
  function vikor(w) {
    function scaled(t) {
      var lo = minOf(t);
      var hi = maxOf(t);
      var flat = hi - lo <= parts.degenerateRtol * Math.max(Math.abs(lo), Math.abs(hi));
      return t.map(function (x) { return flat ? 0 : (x - lo) / (hi - lo); });
    }
    var S = scaled(weighted(w));
    var R = scaled(A.map(function (row) {
      return maxOf(row.map(function (x, j) { return w[j] * x; }));
    }));
    return S.map(function (s, i) { return parts.v * s + (1 - parts.v) * R[i]; });
  }

  var AGGREGATE = {
    "weighted-sum": weighted,
    "weighted-product": function (w) { return weighted(w).map(Math.exp); },
    topsis: topsis,
    "promethee-ii": weighted,
    vikor: vikor
  };

  /* Mirror of evaluator/scoring/ranking.py: tie groups chained within rtol x max|score|,
   * average ranks, and order inside a group by the embedded id keys. */
  function rankScores(scores) {
    var key = scores.map(function (s) { return data.higherIsBetter ? -s : s; });
    var idx = scores.map(function (_, i) { return i; });
    idx.sort(function (a, b) { return key[a] - key[b] || a - b; });
    var tol = data.ties.rtol * maxOf(scores.map(Math.abs));
    var group = [];
    var counts = [0];
    idx.forEach(function (i, k) {
      if (k > 0 && key[i] - key[idx[k - 1]] > tol) counts.push(0);
      group[i] = counts.length - 1;
      counts[counts.length - 1] += 1;
    });
    var ranks = group.map(function (g) {
      return sumOf(counts.slice(0, g)) + (counts[g] + 1) / 2;
    });
    var order = idx.slice().sort(function (a, b) {
      return group[a] - group[b] || data.ties.idKeys[a] - data.ties.idKeys[b];
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

  /* Each slider's share of the total beside it, and in its aria-valuetext (the words of
   * evaluator/report/sliders.py valuetext). */
  function showWeights(w) {
    data.criteria.forEach(function (c, j) {
      var out = document.querySelector('output[data-weight-for="' + c + '"]');
      if (out) out.textContent = fixed(w[j], 3);
      var input = byCriterion[c];
      var value = parseFloat(input.value);
      input.setAttribute(
        "aria-valuetext",
        fixed(w[j], 3) + " of the total weight (slider at " + fixed(isFinite(value) ? value : 0, 3) + ")"
      );
    });
  }

  /* Each option's weighted standing on each criterion, higher is better: w_j a_ij, VIKOR's
   * distances turned round (-w_j N_ij). Mirror of evaluator/scoring/prepared.py
   * criterion_terms; they add up to the score (log-score) for the additive methods. */
  function terms(w) {
    var sign = data.method === "vikor" ? -1 : 1;
    return A.map(function (row) {
      return row.map(function (x, j) { return sign * w[j] * x; });
    });
  }

  /* Shell quoting as Python's shlex.quote. */
  function quote(text) {
    if (text === "") return "''";
    if (!/[^\w@%+=:,.\/-]/.test(text)) return text;
    return "'" + text.replace(/'/g, "'\"'\"'") + "'";
  }

  function sliderText(c) {
    var value = parseFloat(byCriterion[c].value);
    return String(isFinite(value) && value > 0 ? value : 0);
  }

  var commandBox = document.getElementById("live-command");
  function showCommand() {
    if (!commandBox) return;
    var args = data.command.slice();
    data.criteria.forEach(function (c) {
      args.push(quote("--weight=" + c + "=" + sliderText(c)));
    });
    commandBox.value = args.join(" ");
  }

  /* Contribution bars (additive methods: positive parts right of the zero line, negative
   * left, one scale for every option) or one bar for the score (TOPSIS C; VIKOR 1 - Q). */
  function drawBars(scores, parts) {
    var spans = {};
    Array.prototype.forEach.call(list.querySelectorAll("li[data-option-id]"), function (li) {
      spans[li.getAttribute("data-option-id")] = li.querySelector(".live-bar");
    });
    var pieces = data.options.map(function (_, i) {
      if (data.additive) return parts[i];
      return [data.method === "vikor" ? 1 - scores[i] : scores[i]];
    });
    var neg = 0;
    var pos = 0;
    pieces.forEach(function (row) {
      var n = 0;
      var p = 0;
      row.forEach(function (x) { if (x < 0) n -= x; else p += x; });
      neg = Math.max(neg, n);
      pos = Math.max(pos, p);
    });
    var span = neg + pos;
    data.options.forEach(function (o, i) {
      var bar = spans[o.id];
      if (!bar) return;
      while (bar.firstChild) bar.removeChild(bar.firstChild);
      if (!(span > 0)) return;
      var zero = neg / span;
      var right = zero;
      var left = zero;
      pieces[i].forEach(function (x, j) {
        if (x === 0) return;
        var seg = document.createElement("span");
        seg.className = "live-seg";
        var width = Math.abs(x) / span;
        var at = x > 0 ? right : left - width;
        if (x > 0) right += width; else left -= width;
        seg.style.left = (100 * at).toFixed(3) + "%";
        seg.style.width = (100 * width).toFixed(3) + "%";
        seg.style.background = data.additive ? data.colours[j] : "#0072B2";
        seg.title = (data.additive ? data.criterionNames[j] + ": " : "") + fixed(x, 3);
        bar.appendChild(seg);
      });
      if (neg > 0) {
        var axis = document.createElement("span");
        axis.className = "live-zero";
        axis.style.left = (100 * zero).toFixed(3) + "%";
        bar.appendChild(axis);
      }
    });
  }

  var pickA = document.getElementById("h2h-a");
  var pickB = document.getElementById("h2h-b");
  var h2hTable = document.getElementById("h2h-table");

  /* Head to head: A's and B's terms on each criterion and A - B, with their totals. */
  function headToHead(parts) {
    if (!pickA || !pickB || !h2hTable) return;
    var ids = data.options.map(function (o) { return o.id; });
    var a = ids.indexOf(pickA.value);
    var b = ids.indexOf(pickB.value);
    if (a < 0 || b < 0) return;
    var rows = h2hTable.querySelectorAll("tbody tr[data-criterion]");
    var ta = 0;
    var tb = 0;
    function put(row, x, y) {
      var cells = [[".h2h-a", x], [".h2h-b", y], [".h2h-diff", x - y]];
      cells.forEach(function (pair) {
        var cell = row.querySelector(pair[0]);
        cell.textContent = fixed(pair[1], 3);
        cell.setAttribute("data-value", String(pair[1]));
      });
      var diff = row.querySelector(".h2h-diff");
      diff.className = "num h2h-diff" + (x - y > 0 ? " gain" : x - y < 0 ? " loss" : "");
    }
    Array.prototype.forEach.call(rows, function (row) {
      var j = data.criteria.indexOf(row.getAttribute("data-criterion"));
      ta += parts[a][j];
      tb += parts[b][j];
      put(row, parts[a][j], parts[b][j]);
    });
    put(h2hTable.querySelector("tfoot tr"), ta, tb);
  }

  /* The view in the URL hash: #w=ID:VALUE,...;a=ID;b=ID (a link reproduces it). */
  function stateText() {
    var pairs = data.criteria.map(function (c) {
      return encodeURIComponent(c) + ":" + sliderText(c);
    });
    var text = "w=" + pairs.join(",");
    if (pickA && pickB) {
      text += ";a=" + encodeURIComponent(pickA.value) + ";b=" + encodeURIComponent(pickB.value);
    }
    return text;
  }

  function saveState() {
    var hash = "#" + stateText();
    if (window.location.hash === hash) return;
    try {
      window.history.replaceState(null, "", hash);
    } catch (e) {
      /* some viewers refuse replaceState on local files; the view still works */
    }
  }

  function restoreState() {
    var hash = window.location.hash.slice(1);
    if (hash.indexOf("w=") !== 0) return false;
    hash.split(";").forEach(function (part) {
      var eq = part.indexOf("=");
      var key = part.slice(0, eq);
      var value = part.slice(eq + 1);
      if (key === "w") {
        value.split(",").forEach(function (pair) {
          var colon = pair.lastIndexOf(":");
          var c = decodeURIComponent(pair.slice(0, colon));
          var x = parseFloat(pair.slice(colon + 1));
          if (byCriterion[c] && isFinite(x)) byCriterion[c].value = String(Math.min(1, Math.max(0, x)));
        });
      } else if ((key === "a" || key === "b") && pickA && pickB) {
        var select = key === "a" ? pickA : pickB;
        var id = decodeURIComponent(value);
        if (data.options.some(function (o) { return o.id === id; })) select.value = id;
      }
    });
    return true;
  }

  function update() {
    showCommand();
    var w = currentWeights();
    if (w === null) {
      status.textContent =
        "All weights are zero: raise a slider to rank again (the last ranking is kept).";
      return;
    }
    showWeights(w);
    var scores = AGGREGATE[data.method](w);
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
    var parts = terms(w);
    drawBars(scores, parts);
    headToHead(parts);
    var top = data.options[result.order[0]];
    if (top.id !== leader) {
      status.textContent = "First now: " + top.title;
      leader = top.id;
    } else if (status.textContent.indexOf("All weights") === 0) {
      status.textContent = "";
    }
  }

  function changed() {
    update();
    saveState();
  }

  /* The embedded ranking must come back from the embedded parts at the run's weights. */
  function checkEmbeddedRanking() {
    var again = rankScores(AGGREGATE[data.method](data.weights));
    var same = again.order.join() === data.ranking.order.join() &&
      again.ranks.join() === data.ranking.ranks.join();
    if (!same) {
      var banner = document.getElementById("live-check");
      banner.textContent = "Error: the live ranking does not reproduce this report's ranking " +
        "at the report's weights, so the sliders cannot be trusted. Use evaluator score.";
      banner.hidden = false;
    }
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", changed);
  });
  [pickA, pickB].forEach(function (select) {
    if (select) select.addEventListener("change", changed);
  });
  var reset = document.getElementById("reset-weights");
  if (reset) {
    reset.addEventListener("click", function () {
      inputs.forEach(function (input) {
        input.value = input.defaultValue;
      });
      changed();
    });
  }
  /* A profile button sets every slider to that profile's normalized weights. */
  Array.prototype.forEach.call(document.querySelectorAll("button[data-profile]"), function (button) {
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-profile");
      data.profiles.forEach(function (p) {
        if (p.id !== id) return;
        data.criteria.forEach(function (c, j) { byCriterion[c].value = String(p.weights[j]); });
      });
      Array.prototype.forEach.call(document.querySelectorAll("button[data-profile]"), function (b) {
        if (b === button) b.setAttribute("aria-current", "true");
        else b.removeAttribute("aria-current");
      });
      changed();
    });
  });
  var copy = document.getElementById("copy-command");
  if (copy && commandBox) {
    copy.addEventListener("click", function () {
      commandBox.focus();
      commandBox.select();
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(commandBox.value).then(done, function () {
          if (document.execCommand("copy")) done();
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  }
  leader = list.querySelector("li[data-option-id]").getAttribute("data-option-id");
  checkEmbeddedRanking();
  restoreState();
  update();
  window.addEventListener("hashchange", function () {
    if (restoreState()) update();
  });

  /* Print: the cards of the verdict's options open (data-print-open), every other detail
   * stays as it is; restored afterwards. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(
      document.querySelectorAll("details[data-print-open]"),
      function (d) { return !d.open; }
    );
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();

/* A link into a closed card (a performance value, a coverage row) opens the details around
 * its target, then scrolls to it. */
(function () {
  "use strict";

  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) return;
    var node = target;
    var changed = false;
    while (node) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        changed = true;
      }
      node = node.parentElement;
    }
    if (changed) target.scrollIntoView();
  }

  window.addEventListener("hashchange", reveal);
  reveal();
})();
