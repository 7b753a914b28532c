// sitroom search: reads the sharded index under search/ and fetches only the shards a
// query needs. No dependencies. The page works without it (a <noscript> note links the indexes).
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var base = root.getAttribute("data-base") || "/";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var out = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var selects = {};
  ["person", "organisation", "place", "tag", "year"].forEach(function (name) {
    selects[name] = document.getElementById("filter-" + name);
  });
  var PAGE = 10;
  var meta = null;
  var cache = {};
  var shown = PAGE;
  var seq = 0;

  function fetchJson(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error("could not load " + path + " (" + r.status + ")");
        return r.json();
      });
    }
    return cache[path];
  }

  function tokens(text) {
    var words = text.toLowerCase().match(/[\p{Alphabetic}\p{N}]+/gu) || [];
    return words.filter(function (w) {
      var n = Array.from(w).length;
      return n >= 2 && n <= 40 && meta.stopWords.indexOf(w) < 0;
    });
  }

  // The shard that holds `term` (the last whose first term is not after it), and the next
  // few while they start with `term`, for words that begin with it.
  function shardsFor(term) {
    var keys = meta.keys, lo = 0, hi = keys.length - 1, at = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] <= term) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    var list = [Math.max(at, 0)];
    for (var i = at + 1; i < keys.length && list.length < 8 && keys[i].indexOf(term) === 0; i++) list.push(i);
    return keys.length ? list : [];
  }

  function decode(packed) {
    var docs = new Map(), id = 0;
    for (var i = 0; i < packed.length; i++) {
      id += Math.floor(packed[i] / 8);
      docs.set(id, (packed[i] % 8) + 1);
    }
    return docs;
  }

  // doc id → score for one query word: the exact term counts fully, longer words half.
  function lookup(term) {
    return Promise.all(shardsFor(term).map(function (i) { return fetchJson("search/terms/" + i + ".json"); }))
      .then(function (shards) {
        var scores = new Map();
        shards.forEach(function (shard) {
          Object.keys(shard).forEach(function (word) {
            if (word.indexOf(term) !== 0) return;
            var postings = shard[word];
            var idf = Math.log(1 + meta.count / postings.length);
            var factor = word === term ? 1 : 0.5;
            decode(postings).forEach(function (w, id) {
              scores.set(id, Math.max(scores.get(id) || 0, w * idf * factor));
            });
          });
        });
        return scores;
      });
  }

  function entityDocs(id) {
    var per = meta.entitiesPerShard;
    return fetchJson("search/entities/" + Math.floor(id / per) + ".json").then(function (shard) {
      var set = new Set(), doc = 0;
      (shard[id % per] || []).forEach(function (gap) { doc += gap; set.add(doc); });
      return set;
    });
  }

  function entityBySlug(kind, slug) {
    for (var i = 0; i < meta.entities.length; i++) {
      var e = meta.entities[i];
      if (e[0] === kind && e[2] === slug) return i;
    }
    return -1;
  }

  function fillFilters() {
    ["person", "organisation", "place", "tag"].forEach(function (name, kind) {
      var select = selects[name];
      if (!select) return;
      var list = [];
      meta.entities.forEach(function (e, id) { if (e[0] === kind && e[3] > 0) list.push(e); });
      list.sort(function (a, b) { return a[1].localeCompare(b[1]); });
      list.forEach(function (e) {
        var option = document.createElement("option");
        option.value = e[2];
        option.textContent = e[1] + " (" + e[3] + ")";
        select.appendChild(option);
      });
    });
    if (selects.year) {
      meta.years.forEach(function (y) {
        var option = document.createElement("option");
        option.value = String(y[0]);
        option.textContent = y[0] + " (" + (y[2] - y[1]) + ")";
        selects.year.appendChild(option);
      });
    }
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    Object.keys(selects).forEach(function (name) {
      if (selects[name]) selects[name].value = params.get(name) || "";
    });
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    Object.keys(selects).forEach(function (name) {
      if (selects[name] && selects[name].value) params.set(name, selects[name].value);
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  // Entities whose name or alias matches every word typed.
  function matchingEntities(words) {
    if (!words.length) return [];
    var found = [];
    meta.entities.forEach(function (e, id) {
      var names = [e[1]].concat(e[4]);
      var hit = names.some(function (name) {
        var have = tokens(name);
        return words.every(function (w) { return have.some(function (h) { return h.indexOf(w) === 0; }); });
      });
      if (hit) found.push(id);
    });
    found.sort(function (a, b) { return meta.entities[b][3] - meta.entities[a][3]; });
    return found.slice(0, 8);
  }

  function run() {
    var mine = ++seq;
    var words = tokens(input.value);
    var filters = [];
    ["person", "organisation", "place", "tag"].forEach(function (name, kind) {
      var slug = selects[name] && selects[name].value;
      if (slug) filters.push(entityBySlug(kind, slug));
    });
    var year = selects.year && selects.year.value;
    writeUrl();
    if (!words.length && !filters.length && !year) {
      clear();
      setStatus("Type a name, place or word, or choose a filter.");
      return;
    }
    setStatus("Searching…");
    var lookups = words.map(lookup);
    var sets = filters.map(function (id) { return id < 0 ? Promise.resolve(new Set()) : entityDocs(id); });
    Promise.all([Promise.all(lookups), Promise.all(sets)]).then(function (parts) {
      if (mine !== seq) return;
      var ranked = rank(parts[0], parts[1], year);
      show(ranked, words, mine);
    }).catch(function (err) {
      setStatus("Search failed: " + err.message);
    });
  }

  function rank(wordScores, filterSets, year) {
    var range = null;
    if (year) {
      meta.years.forEach(function (y) { if (String(y[0]) === year) range = [y[1], y[2]]; });
      if (!range) range = [0, 0];
    }
    var candidates;
    if (wordScores.length) {
      candidates = [];
      wordScores[0].forEach(function (s, id) { candidates.push(id); });
    } else if (filterSets.length) {
      candidates = Array.from(filterSets[0]);
    } else {
      candidates = [];
      for (var i = range[0]; i < range[1]; i++) candidates.push(i);
    }
    var results = [];
    candidates.forEach(function (id) {
      if (range && (id < range[0] || id >= range[1])) return;
      if (!filterSets.every(function (set) { return set.has(id); })) return;
      var score = 0;
      for (var i = 0; i < wordScores.length; i++) {
        var s = wordScores[i].get(id);
        if (s === undefined) return;
        score += s;
      }
      results.push([id, score]);
    });
    results.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return results;
  }

  function show(results, words, mine) {
    var page = results.slice(0, shown);
    var per = meta.docsPerShard;
    var needed = {};
    page.forEach(function (r) { needed[Math.floor(r[0] / per)] = true; });
    Promise.all(Object.keys(needed).map(function (n) {
      return fetchJson("search/docs/" + n + ".json").then(function (docs) { return [Number(n), docs]; });
    })).then(function (loaded) {
      if (mine !== seq) return;
      var shards = {};
      loaded.forEach(function (pair) { shards[pair[0]] = pair[1]; });
      clear();
      var people = matchingEntities(words);
      if (people.length) out.appendChild(entityList(people));
      var count = results.length;
      setStatus(count === 0 ? "No briefings match." :
        count + (count === 1 ? " briefing matches." : " briefings match."));
      var list = document.createElement("ol");
      list.className = "results";
      page.forEach(function (r) {
        var doc = shards[Math.floor(r[0] / per)][r[0] % per];
        list.appendChild(result(doc, words));
      });
      out.appendChild(list);
      if (results.length > shown) {
        var more = document.createElement("button");
        more.type = "button";
        more.className = "more-results";
        more.textContent = "Show more results";
        more.addEventListener("click", function () { shown += PAGE; show(results, words, ++seq); });
        out.appendChild(more);
      }
    }).catch(function (err) { setStatus("Search failed: " + err.message); });
  }

  function entityList(ids) {
    var section = document.createElement("section");
    section.className = "entity-matches";
    var h = document.createElement("h2");
    h.textContent = "Profiles";
    section.appendChild(h);
    var ul = document.createElement("ul");
    ul.className = "chips";
    ids.forEach(function (id) {
      var e = meta.entities[id];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + meta.kinds[e[0]] + "/" + e[2] + "/";
      a.textContent = e[1];
      li.appendChild(a);
      var n = document.createElement("span");
      n.className = "n";
      n.textContent = " " + e[3];
      li.appendChild(n);
      ul.appendChild(li);
    });
    section.appendChild(ul);
    return section;
  }

  function result(doc, words) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = base + doc[1];
    mark(a, doc[0], words);
    h.appendChild(a);
    li.appendChild(h);
    var time = document.createElement("p");
    time.className = "date";
    time.textContent = doc[2];
    li.appendChild(time);
    var p = document.createElement("p");
    mark(p, doc[3], words);
    li.appendChild(p);
    var names = doc[4].filter(function (id) { return meta.entities[id] && meta.entities[id][0] < 3; })
      .slice(0, 6).map(function (id) { return meta.entities[id][1]; });
    if (names.length) {
      var named = document.createElement("p");
      named.className = "named-in";
      named.textContent = "Names " + names.join(", ");
      li.appendChild(named);
    }
    return li;
  }

  // Appends `text` to `el`, wrapping words that start with a query word in <mark>.
  function mark(el, text, words) {
    var re = /[\p{Alphabetic}\p{N}]+/gu, last = 0, m;
    while ((m = re.exec(text))) {
      var w = m[0].toLowerCase();
      if (words.some(function (q) { return w.indexOf(q) === 0; })) {
        el.appendChild(document.createTextNode(text.slice(last, m.index)));
        var b = document.createElement("mark");
        b.textContent = m[0];
        el.appendChild(b);
        last = m.index + m[0].length;
      }
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  function clear() { while (out.firstChild) out.removeChild(out.firstChild); }
  function setStatus(text) { status.textContent = text; }

  var timer = null;
  function later() { clearTimeout(timer); shown = PAGE; timer = setTimeout(run, 150); }

  root.hidden = false;
  root.classList.add("ready");
  fetchJson("search/index.json").then(function (m) {
    meta = m;
    fillFilters();
    readUrl();
    form.addEventListener("submit", function (e) { e.preventDefault(); shown = PAGE; run(); });
    input.addEventListener("input", later);
    Object.keys(selects).forEach(function (name) {
      if (selects[name]) selects[name].addEventListener("change", later);
    });
    run();
  }).catch(function (err) { setStatus("Search is unavailable: " + err.message); });
})();
