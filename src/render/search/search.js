// sitroom search: reads the index that src/render/search.rs writes, fetching only the files
// a query needs. No dependencies. This is the source; static/search.js is this file minified
// (`npm run minify --prefix tests/browser`), which is what sites are given.
//
// The page gives two paths: `data-base`, the site's home (links in the index are relative
// to it), and `data-index`, the index's folder. Nothing else is assumed, so a second index
// (a language's, under /<code>/search/) is one more page with other paths.
(function () {
  "use strict";

  // ---- The tokeniser: the same as src/render/search/tokens.rs ----------------------------

  var WORD = /^[\p{Alphabetic}\p{N}]$/u;
  var MARKS = /[\p{M}\u0640]/gu;
  var folded = new Map();

  // The folded form of one character (a string of 0, 1 or more characters).
  function foldChar(ch) {
    var out = folded.get(ch);
    if (out === undefined) {
      out = ch.normalize("NFKD").replace(MARKS, "").toLowerCase()
        .replace(/\u0649/g, "\u064a").replace(/\u0629/g, "\u0647").replace(/\u03c2/g, "\u03c3");
      folded.set(ch, out);
    }
    return out;
  }

  function fold(text) {
    var out = "";
    for (var ch of text) out += foldChar(ch);
    return out;
  }

  // Calls each(word, start, end) for every folded word of `text`, with the range of `text`
  // (in UTF-16 units) it came from. Every word counts: short and stop words too.
  function scan(text, each) {
    var word = "", start = -1, i = 0;
    while (i < text.length) {
      var code = text.charCodeAt(i);
      if (code < 128) {
        if (code >= 65 && code <= 90) code += 32;
        if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
          if (start < 0) start = i;
          word += String.fromCharCode(code);
        } else if (start >= 0) {
          each(word, start, i);
          word = "";
          start = -1;
        }
        i++;
        continue;
      }
      var ch = String.fromCodePoint(text.codePointAt(i));
      for (var f of foldChar(ch)) {
        if (WORD.test(f)) {
          if (start < 0) start = i;
          word += f;
        } else if (start >= 0) {
          each(word, start, i);
          word = "";
          start = -1;
        }
      }
      i += ch.length;
    }
    if (start >= 0) each(word, start, text.length);
  }

  function words(text) {
    var out = [];
    scan(text, function (w) { out.push(w); });
    return out;
  }

  function length(word) { return Array.from(word).length; }

  // FNV-1a over UTF-16 units, as search.rs hashes the typo buckets.
  function fnv(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return hash >>> 0;
  }

  // A word's typo buckets: by its first two letters and by its last two.
  function nearKeys(word) {
    var chars = Array.from(word);
    return ["<" + chars.slice(0, 2).join(""), ">" + chars.slice(-2).join("")];
  }

  // Whether a and b are one edit apart: a letter changed, added, left out, or two swapped.
  function oneEdit(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > 1 || a.join("") === b.join("")) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    var same = function (x, y) { return x.join("") === y.join(""); };
    if (a.length === b.length) {
      return same(a.slice(i + 1), b.slice(i + 1)) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && same(a.slice(i + 2), b.slice(i + 2)));
    }
    return a.length > b.length ? same(a.slice(i + 1), b.slice(i)) : same(a.slice(i), b.slice(i + 1));
  }

  window.sitroomSearch = { fold: fold, words: words, fnv: fnv, nearKeys: nearKeys, oneEdit: oneEdit };

  var root = document.getElementById("search");
  if (!root) return;

  // ---- The page ------------------------------------------------------------------------

  var base = root.getAttribute("data-base") || "/";
  // The page's words in its language, when it is not English: { key: text or { category:
  // text } }, `{name}` to fill in. A word left out is said in English.
  var WORDS = JSON.parse(root.getAttribute("data-words") || "{}");
  var plurals = new Intl.PluralRules(document.documentElement.lang || "en");
  function say(key, english, values) {
    var text = WORDS[key];
    if (text && typeof text === "object") text = text[plurals.select(values.count)] || text.other;
    if (!text) return english;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }
  var folder = root.getAttribute("data-index") || base + "search/";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var out = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var KINDS = ["person", "organisation", "place", "tag"];
  var selects = {};
  KINDS.concat(["year", "month"]).forEach(function (name) {
    selects[name] = document.getElementById("filter-" + name);
  });
  var NAME = "\u0001", NAME_WORD = "\u0002";
  var PAGE = 10, SNIPPET_WORDS = 28, CHECKS = 30;
  var meta = null;
  var files = {};
  var entries = new Map();
  var filterLists = {};
  var shown = PAGE;
  var seq = 0;

  function fetchJson(path) {
    if (!files[path]) {
      files[path] = fetch(folder + path).then(function (r) {
        if (!r.ok) throw new Error("could not load " + path + " (" + r.status + ")");
        return r.json();
      });
    }
    return files[path];
  }

  // ---- Keys: two sorted key spaces in shards, each shard known by its first key --------
  // "terms": words with their postings. "name-keys": names (and aliases) with the entities
  // they name, and words of names with the entities whose names hold them.

  var SPACES = { "terms": "keys", "name-keys": "nameKeys" };
  var loaded = { "terms": {}, "name-keys": {} };

  // The shard of `space` whose range holds `key`: the last whose first key is not after it.
  function shardAt(space, key) {
    var keys = meta[SPACES[space]], lo = 0, hi = keys.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] <= key) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }

  // The shards holding every key that starts with `prefix` (at most eight).
  function shardsFrom(space, prefix) {
    var keys = meta[SPACES[space]], at = shardAt(space, prefix), list = [at];
    for (var i = at + 1; i < keys.length && list.length < 8 && keys[i].indexOf(prefix) === 0; i++) list.push(i);
    return list;
  }

  function load(space, list) {
    var count = meta[SPACES[space]].length;
    return Promise.all(list.filter(function (n) { return n < count; }).map(function (n) {
      if (!loaded[space][n]) {
        loaded[space][n] = fetchJson(space + "/" + n + ".json").then(function (shard) {
          Object.keys(shard).forEach(function (key) { entries.set(key, shard[key]); });
        });
      }
      return loaded[space][n];
    }));
  }

  function needed(lists) {
    var need = {};
    lists.forEach(function (list) { list.forEach(function (n) { need[n] = true; }); });
    return Object.keys(need).map(Number);
  }

  function isWordKey(key) { return key.indexOf(NAME) < 0 && key.indexOf(NAME_WORD) < 0; }

  // Every loaded word key that starts with `word` (the word itself first, if it is one).
  function extensions(word) {
    var found = [];
    entries.forEach(function (_, key) {
      if (key.indexOf(word) === 0 && isWordKey(key)) found.push(key);
    });
    found.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
    return found;
  }

  function indexed(word) {
    var n = length(word);
    return n >= 2 && n <= 40 && meta.stopWords.indexOf(word) < 0;
  }

  // ---- The query -----------------------------------------------------------------------

  // Quoted parts are phrases; the rest are words. Curly and angled quotes count as quotes.
  function parse(text) {
    var groups = [];
    var parts = text.replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, "\"").split("\"");
    parts.forEach(function (part, i) {
      var list = words(part);
      if (list.length) groups.push({ quoted: i % 2 === 1, words: list });
    });
    return groups;
  }

  function nameKey(list) { return list.join(" ") + NAME; }

  // The name shards a query needs first: every run of words that may be a name, and the
  // names holding each word (for surnames and profiles). `alternatives` are corrections.
  function nameShards(groups, alternatives) {
    var lists = [];
    groups.forEach(function (g, gi) {
      var list = g.words.map(function (w, i) { return alternatives ? alternatives[gi][i][0] : w; });
      list.forEach(function (w, i) {
        if (indexed(w)) lists.push(g.quoted ? [shardAt("name-keys", w + NAME_WORD)] : shardsFrom("name-keys", w));
        for (var j = i + 1; j <= Math.min(list.length, i + 8); j++) lists.push([shardAt("name-keys", nameKey(list.slice(i, j)))]);
      });
    });
    return needed(lists);
  }

  // The word shards the query's words need, once names are known: a word's (and those of
  // the words it begins), each word of a phrase. Names need none.
  function termShards(units) {
    var lists = [];
    units.forEach(function (u) {
      if (u.type === "word" && !u.typed) lists.push(u.exact ? [shardAt("terms", u.word)] : shardsFrom("terms", u.word));
      if (u.type === "phrase") u.words.filter(indexed).forEach(function (w) { lists.push([shardAt("terms", w)]); });
    });
    return needed(lists);
  }

  // Words with no key of their own, none they begin and no name: their one-typo
  // neighbours, if any.
  async function corrections(units) {
    var wanted = units.filter(function (u) {
      return u.type === "word" && !u.exact && length(u.word) >= meta.nearMin &&
        !extensions(u.word).length && !entries.has(u.word + NAME_WORD);
    }).map(function (u) { return u.word; });
    if (!wanted.length || !meta.near) return {};
    var fixes = {};
    await Promise.all(wanted.map(async function (w) {
      var buckets = nearKeys(w).map(function (k) { return fnv(k) % meta.near; });
      var lists = await Promise.all(buckets.map(function (b) { return fetchJson("near/" + b + ".json"); }));
      var found = [];
      lists.forEach(function (list) {
        list.forEach(function (t) { if (found.indexOf(t) < 0 && oneEdit(w, t)) found.push(t); });
      });
      if (found.length) fixes[w] = found.slice(0, 4);
    }));
    await load("terms", needed(Object.keys(fixes).map(function (w) {
      return fixes[w].map(function (t) { return shardAt("terms", t); });
    })));
    // The correction found in the most briefings first.
    Object.keys(fixes).forEach(function (w) {
      fixes[w].sort(function (a, b) { return (entries.get(b) || []).length - (entries.get(a) || []).length; });
    });
    return fixes;
  }

  // What the query asks for, as units every result must match:
  //   {type: "entity", ids}          a name or alias: the entities' mentions
  //   {type: "word", word, terms}    a word: the words it is or begins, or its corrections
  //   {type: "phrase", words}        quoted words in this order
  function understand(groups, fixes) {
    var units = [], skipped = [];
    groups.forEach(function (g) {
      var list = g.words.map(function (w) { return fixes[w] ? fixes[w][0] : w; });
      if (g.quoted) {
        var ids = entries.get(nameKey(list));
        if (ids) units.push({ type: "entity", ids: ids, words: list });
        else if (list.length === 1 && indexed(list[0])) units.push({ type: "word", word: list[0], terms: [[list[0], 1]], exact: true });
        else if (list.some(indexed)) units.push({ type: "phrase", words: list });
        else skipped = skipped.concat(list);
        return;
      }
      for (var i = 0; i < list.length;) {
        var matched = 0;
        for (var j = Math.min(list.length, i + 8); j > i; j--) {
          var found = entries.get(nameKey(list.slice(i, j)));
          if (found) {
            units.push({ type: "entity", ids: found, words: list.slice(i, j) });
            matched = j - i;
            break;
          }
        }
        if (matched) { i += matched; continue; }
        var w = list[i];
        if (!indexed(w)) {
          skipped.push(w);
          i++;
          continue;
        }
        // A word of one entity's names only (a surname, mostly) stands for that entity
        // too: its briefings rank as the entity's whichever of its names is typed.
        var holders = entries.get(w + NAME_WORD) || [];
        var unit = { type: "word", word: w, words: [w], ids: holders.length === 1 ? [holders[0][0]] : null };
        var typed = g.words[i];
        if (fixes[typed]) {
          // The likeliest correction counts as if it had been typed; the others less.
          unit.typed = typed;
          unit.terms = fixes[typed].map(function (t, k) { return [t, k ? 0.6 : 1]; });
        } else {
          unit.terms = extensions(w).map(function (t) { return [t, t === w ? 1 : 0.5]; });
        }
        units.push(unit);
        i++;
      }
    });
    return { units: units, skipped: skipped };
  }

  // ---- Postings --------------------------------------------------------------------------

  function idf(n) { return Math.log(1 + meta.count / Math.max(1, n)); }

  // doc id → score for a word unit: the best of the words it stands for.
  function wordScores(unit) {
    var scores = new Map();
    unit.terms.forEach(function (pair) {
      var postings = entries.get(pair[0]);
      if (!postings) return;
      var weight = idf(postings.length) * pair[1], id = 0;
      for (var i = 0; i < postings.length; i++) {
        id += Math.floor(postings[i] / 8);
        var s = ((postings[i] % 8) + 1) * weight;
        if (!(scores.get(id) >= s)) scores.set(id, s);
      }
    });
    return scores;
  }

  function mentions(id) { return fetchJson("mentions/" + id + ".json"); }

  // doc id → score for an entity unit, from its mentions: the same whichever name was typed.
  async function entityScores(unit) {
    var lists = await Promise.all(unit.ids.map(mentions));
    var scores = new Map();
    unit.names = [];
    lists.forEach(function (m) {
      unit.names = unit.names.concat(m[0]);
      var postings = m[1], weight = idf(postings.length), id = 0;
      for (var i = 0; i < postings.length; i++) {
        id += Math.floor(postings[i] / 16);
        var s = ((postings[i] % 8) + 1) * weight;
        if (!(scores.get(id) >= s)) scores.set(id, s);
      }
    });
    return scores;
  }

  // A phrase's candidates: the briefings with all its words; each is checked for the words
  // in order when it is shown.
  function phraseScores(unit) {
    var maps = unit.words.filter(indexed).map(function (w) { return wordScores({ terms: [[w, 1]] }); });
    var scores = new Map();
    if (!maps.length) return scores;
    maps[0].forEach(function (s, id) {
      var total = s;
      for (var i = 1; i < maps.length; i++) {
        var t = maps[i].get(id);
        if (t === undefined) return;
        total += t;
      }
      scores.set(id, total);
    });
    return scores;
  }

  // The briefings whose front matter names the entity with this slug, for a filter.
  async function filterSet(kind, slug) {
    var list = await filterList(kind);
    var entity = list.find(function (e) { return e[2] === slug; });
    if (!entity) return new Set();
    var m = await mentions(entity[0]);
    var set = new Set(), id = 0;
    m[1].forEach(function (p) { id += Math.floor(p / 16); if (p % 16 >= 8) set.add(id); });
    return set;
  }

  // ---- Filters -------------------------------------------------------------------------

  function filterList(kind) {
    if (!filterLists[kind]) {
      filterLists[kind] = fetchJson("filters/" + meta.kinds[KINDS.indexOf(kind)] + ".json").then(function (list) {
        fillEntities(kind, list);
        return list;
      });
    }
    return filterLists[kind];
  }

  function option(value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }

  function fillEntities(kind, list) {
    var select = selects[kind];
    if (!select) return;
    var chosen = select.value || new URLSearchParams(location.search).get(kind) || "";
    while (select.options.length > 1) select.remove(1);
    list.forEach(function (e) { if (e[3] > 0) select.appendChild(option(e[2], e[1] + " (" + e[3] + ")")); });
    select.value = chosen;
  }

  function monthName(year, month) {
    var date = new Date(Date.UTC(year, month - 1, 1));
    return date.toLocaleString(document.documentElement.lang || "en", { month: "long", year: "numeric", timeZone: "UTC" });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function fillDates() {
    if (selects.year) meta.years.forEach(function (y) { selects.year.appendChild(option(String(y[0]), y[0] + " (" + (y[2] - y[1]) + ")")); });
    fillMonths();
  }

  // The months of the chosen year, or of every year.
  function fillMonths() {
    var select = selects.month;
    if (!select) return;
    var chosen = select.value, year = selects.year ? selects.year.value : "";
    while (select.options.length > 1) select.remove(1);
    meta.months.forEach(function (m) {
      if (year && String(m[0]) !== year) return;
      select.appendChild(option(m[0] + "-" + pad(m[1]), monthName(m[0], m[1]) + " (" + (m[3] - m[2]) + ")"));
    });
    select.value = chosen;
    if (select.value !== chosen) select.value = "";
  }

  function dateRange() {
    var month = selects.month && selects.month.value, year = selects.year && selects.year.value;
    var range = null;
    if (month) {
      meta.months.forEach(function (m) { if (m[0] + "-" + pad(m[1]) === month) range = [m[2], m[3]]; });
      return range || [0, 0];
    }
    if (year) {
      meta.years.forEach(function (y) { if (String(y[0]) === year) range = [y[1], y[2]]; });
      return range || [0, 0];
    }
    return null;
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    if (selects.year) selects.year.value = params.get("year") || "";
    fillMonths();
    if (selects.month) {
      selects.month.value = params.get("month") || "";
      if (selects.month.value && selects.year && !selects.year.value) {
        selects.year.value = selects.month.value.slice(0, 4);
        fillMonths();
      }
    }
    return Promise.all(KINDS.map(function (kind) {
      var slug = params.get(kind);
      if (!slug || !selects[kind]) return null;
      selects[kind].appendChild(option(slug, slug));
      selects[kind].value = slug;
      return filterList(kind);
    }));
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

  // ---- Running a search ------------------------------------------------------------------

  async function run() {
    var mine = ++seq;
    writeUrl();
    var groups = parse(input.value);
    var filters = KINDS.filter(function (k) { return selects[k] && selects[k].value; });
    var range = dateRange();
    if (!groups.length && !filters.length && !range) {
      clear();
      setStatus(say("search_prompt", "Type a name, place or word, or choose a filter."));
      return;
    }
    setStatus(say("search_searching", "Searching…"));
    // Names first: a name needs no postings of its words, which for a common name are the
    // biggest files of all. Then the words that are not names, then corrections.
    await load("name-keys", nameShards(groups, null));
    await load("terms", termShards(understand(groups, {}).units));
    var fixes = await corrections(understand(groups, {}).units);
    if (Object.keys(fixes).length) {
      var alternatives = groups.map(function (g) { return g.words.map(function (w) { return fixes[w] || [w]; }); });
      await load("name-keys", nameShards(groups, alternatives));
    }
    var query = understand(groups, fixes);
    await load("terms", termShards(query.units));
    query = understand(groups, fixes);
    if (mine !== seq) return;
    var units = query.units;
    if (!units.length && !filters.length && !range) {
      clear();
      tooShort(query.skipped);
      return;
    }
    var maps = await Promise.all(units.map(async function (u) {
      if (u.type === "entity") return entityScores(u);
      if (u.type === "phrase") return phraseScores(u);
      var scores = wordScores(u);
      if (!u.ids) return scores;
      var named = await entityScores(u);
      scores.forEach(function (s, id) { if (!named.has(id)) named.set(id, s); });
      return named;
    }));
    var sets = await Promise.all(filters.map(function (k) { return filterSet(k, selects[k].value); }));
    if (mine !== seq) return;
    var ranked = rank(maps, sets, range, false);
    var some = false;
    if (!ranked.length && units.length > 1 && !units.some(function (u) { return u.type === "phrase"; })) {
      ranked = rank(maps, sets, range, true);
      some = ranked.length > 0;
    }
    var search = { units: units, fixes: fixes, skipped: query.skipped, ranked: ranked, some: some,
      verified: [], checked: 0, phrases: units.some(function (u) { return u.type === "phrase"; }) };
    search.matcher = matcher(units);
    await show(search, mine);
  }

  // Results: every unit (or, with `any`, at least one) and every filter matched, best first,
  // newer first among equals.
  function rank(maps, sets, range, any) {
    var candidates;
    if (maps.length && any) {
      var all = new Set();
      maps.forEach(function (m) { m.forEach(function (_, id) { all.add(id); }); });
      candidates = Array.from(all);
    } else if (maps.length) {
      var fewest = maps.reduce(function (a, b) { return b.size < a.size ? b : a; });
      candidates = Array.from(fewest.keys());
    } else if (sets.length) {
      candidates = Array.from(sets[0]);
    } else {
      candidates = [];
      for (var i = range[0]; i < range[1]; i++) candidates.push(i);
    }
    var results = [];
    candidates.forEach(function (id) {
      if (range && (id < range[0] || id >= range[1])) return;
      if (!sets.every(function (set) { return set.has(id); })) return;
      var score = 0, matched = 0;
      for (var i = 0; i < maps.length; i++) {
        var s = maps[i].get(id);
        if (s === undefined) {
          if (!any) return;
          continue;
        }
        score += s;
        matched++;
      }
      results.push([id, score + matched * 1000]);
    });
    results.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return results;
  }

  function doc(id) { return fetchJson("docs/" + id + ".json"); }

  // Fetches the results to show (checking phrases on the way) and draws them.
  async function show(search, mine) {
    var ranked = search.ranked;
    if (search.phrases) {
      // Check candidates in order, ten at a time, until a page is full: a phrase's words may
      // all be in a briefing without the phrase. At most CHECKS a round, so a phrase whose
      // words are common but which is rare costs a few files, not the archive; "Show more"
      // checks on.
      var limit = search.checked + CHECKS;
      while (search.verified.length < shown && search.checked < Math.min(ranked.length, limit)) {
        var batch = ranked.slice(search.checked, search.checked + PAGE);
        var docs = await Promise.all(batch.map(function (r) { return doc(r[0]); }));
        if (mine !== seq) return;
        batch.forEach(function (r, i) { if (hasPhrases(docs[i], search.matcher)) search.verified.push(r); });
        search.checked += batch.length;
      }
    }
    var list = search.phrases ? search.verified : ranked;
    var page = list.slice(0, shown);
    var loaded = await Promise.all(page.map(function (r) { return doc(r[0]); }));
    var profiles = profileMatches(search);
    if (mine !== seq) return;
    clear();
    if (profiles.length) out.appendChild(profileList(profiles));
    setStatus(summary(search, list));
    var ol = document.createElement("ol");
    ol.className = "results";
    loaded.forEach(function (d) { ol.appendChild(result(d, search.matcher)); });
    out.appendChild(ol);
    var more = search.phrases ? search.checked < ranked.length || list.length > shown : list.length > shown;
    if (more) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "more-results";
      button.textContent = search.phrases && list.length <= shown ? say("search_check_more", "Check more briefings") : say("search_more", "Show more results");
      button.addEventListener("click", function () { shown += PAGE; show(search, ++seq); });
      out.appendChild(button);
    }
  }

  function quote(list) {
    return list.map(function (w) { return say("search_quote", "“" + w + "”", { word: w }); }).join(WORDS.comma || ", ");
  }

  function summary(search, list) {
    var n = list.length, notes = [];
    Object.keys(search.fixes).forEach(function (w) {
      var fix = search.fixes[w][0];
      notes.push(say("search_fixed", "No briefing has “" + w + "”; showing “" + fix + "”.", { word: quote([w]), fix: quote([fix]) }));
    });
    if (search.some) notes.push(say("search_some", "No briefing matches every word; these match some."));
    var count;
    if (search.phrases && search.checked < search.ranked.length) {
      var checked = { count: n, checked: search.checked, total: search.ranked.length };
      var sofar = " the exact words, of the " + search.checked + " checked so far among the " +
        search.ranked.length + " with every word.";
      count = n ? say("search_phrases", "At least " + n + (n === 1 ? " briefing has" : " briefings have") + sofar, checked) :
        say("search_phrases_none", "None yet has" + sofar, checked);
      return notes.concat([count]).join(" ");
    } else {
      count = n === 0 ? say("search_no_match", "No briefing matches.") :
        say("search_matches", n + (n === 1 ? " briefing matches." : " briefings match."), { count: n });
    }
    if (n === 0 && !Object.keys(search.fixes).length) count += " " + say("search_spelling", "Check the spelling, try fewer words, or browse the indexes.");
    return notes.concat([count]).join(" ");
  }

  // Only stop words or single letters were typed: say so, and offer the A–Z indexes.
  function tooShort(skipped) {
    if (!skipped.every(function (w) { return length(w) === 1; })) {
      var common = skipped.filter(function (w) { return length(w) > 1; });
      setStatus(say("search_too_common", quote(common) +
        (common.length > 1 ? " are too common to search for on their own." : " is too common to search for on its own.") +
        " Add another word, or a name.", { count: common.length, words: quote(common) }));
      return;
    }
    var letter = skipped.length === 1 ? skipped[0].toUpperCase() : "";
    setStatus(say("search_too_short", "Type two letters or more to search."));
    var links = (meta.letters || []).filter(function (l) { return l[1] === letter; });
    if (!links.length) return;
    var p = document.createElement("p");
    p.className = "hint";
    p.appendChild(document.createTextNode(say("search_letter", "Names that start with " + letter + ":", { letter: letter }) + " "));
    links.forEach(function (l, i) {
      if (i) p.appendChild(document.createTextNode(" · "));
      var a = document.createElement("a");
      a.href = base + l[2];
      a.textContent = l[3];
      p.appendChild(a);
    });
    out.appendChild(p);
  }

  // ---- Matching text: snippets, marks and phrases ----------------------------------------

  // What counts as a hit in a text: word units by the words they stand for (or begin),
  // entity units by any of their names, phrases by their words in order.
  function matcher(units) {
    var sequences = [], prefixes = [], exact = [];
    units.forEach(function (u, i) {
      if (u.type === "word") {
        if (u.typed || u.exact) u.terms.forEach(function (t) { exact.push([t[0], i]); });
        else prefixes.push([u.word, i]);
        (u.names || []).forEach(function (name) { sequences.push([words(name), i]); });
      } else if (u.type === "entity") {
        (u.names || []).forEach(function (name) { sequences.push([words(name), i]); });
        sequences.push([u.words, i]);
      } else {
        sequences.push([u.words, i, true]);
      }
    });
    return { sequences: sequences, prefixes: prefixes, exact: exact, count: units.length,
      phrases: units.map(function (u) { return u.type === "phrase"; }) };
  }

  // Hits in `text` as [start, end, unit] (UTF-16 ranges), longest first at each place.
  function hits(text, m) {
    var list = [];
    scan(text, function (w, s, e) { list.push([w, s, e]); });
    var found = [];
    for (var i = 0; i < list.length;) {
      var best = null;
      m.sequences.forEach(function (seq) {
        var ws = seq[0];
        if (!ws.length || (best && best[3] >= ws.length)) return;
        for (var k = 0; k < ws.length; k++) if (!list[i + k] || list[i + k][0] !== ws[k]) return;
        best = [list[i][1], list[i + ws.length - 1][2], seq[1], ws.length];
      });
      if (!best) {
        var w = list[i][0];
        m.exact.forEach(function (p) { if (!best && w === p[0]) best = [list[i][1], list[i][2], p[1], 1]; });
        m.prefixes.forEach(function (p) { if (!best && w.indexOf(p[0]) === 0) best = [list[i][1], list[i][2], p[1], 1]; });
      }
      if (best) {
        found.push([best[0], best[1], best[2], i]);
        i += best[3];
      } else {
        i++;
      }
    }
    return { words: list, found: found };
  }

  // Whether every phrase of the query is in the briefing (title, summary or text). A text
  // cut short at indexing may hold it further on, so it counts.
  function hasPhrases(d, m) {
    var seen = {};
    [d[0], d[3], d[5]].forEach(function (text) {
      hits(text, m).found.forEach(function (h) { seen[h[2]] = true; });
    });
    for (var i = 0; i < m.count; i++) if (m.phrases[i] && !seen[i] && !d[6]) return false;
    return true;
  }

  // Appends `text` to `el` with hits in <mark>; `from`/`to` bound the part shown.
  function marked(el, text, found, from, to) {
    var at = from;
    found.forEach(function (h) {
      if (h[0] < from || h[1] > to) return;
      el.appendChild(document.createTextNode(text.slice(at, h[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(h[0], h[1]);
      el.appendChild(mark);
      at = h[1];
    });
    el.appendChild(document.createTextNode(text.slice(at, to)));
  }

  // The stretch of `text` of about SNIPPET_WORDS words with the most different hits.
  function snippet(el, text, m) {
    var h = hits(text, m);
    if (!h.found.length) return false;
    var bestStart = 0, bestScore = -1;
    for (var a = 0; a < h.found.length; a++) {
      var startWord = Math.max(0, h.found[a][3] - 6), units = {}, count = 0;
      for (var b = a; b < h.found.length && h.found[b][3] < startWord + SNIPPET_WORDS; b++) {
        if (!units[h.found[b][2]]) { units[h.found[b][2]] = true; count += 10; }
        count++;
      }
      if (count > bestScore) { bestScore = count; bestStart = startWord; }
    }
    var endWord = Math.min(h.words.length - 1, bestStart + SNIPPET_WORDS - 1);
    var from = h.words[bestStart][1], to = h.words[endWord][2];
    if (from > 0) el.appendChild(document.createTextNode("… "));
    marked(el, text, h.found, from, to);
    if (to < text.length) el.appendChild(document.createTextNode(" …"));
    return true;
  }

  // ---- Drawing -------------------------------------------------------------------------

  // The profiles to show above the results: the entities the query names, or else those
  // whose names hold every word typed (or a word that begins with it).
  function profileMatches(search) {
    var named = search.units.filter(function (u) { return u.type === "entity"; });
    var plain = search.units.filter(function (u) { return u.type === "word"; });
    var found = new Map();
    var holding = function (w, exact) {
      var here = new Map();
      entries.forEach(function (value, key) {
        var end = key.length - 1;
        if (key.charAt(end) !== NAME_WORD || key.indexOf(w) !== 0 || (exact && end !== w.length)) return;
        value.forEach(function (e) { here.set(e[0], e); });
      });
      return here;
    };
    if (named.length) {
      named.forEach(function (u) {
        u.words.filter(indexed).forEach(function (w) {
          holding(w, true).forEach(function (e, id) { if (u.ids.indexOf(id) >= 0) found.set(id, e); });
        });
      });
    } else if (plain.length) {
      plain.forEach(function (u, i) {
        var here = holding(u.word, false);
        if (i === 0) found = here;
        else found.forEach(function (_, id) { if (!here.has(id)) found.delete(id); });
      });
    }
    return Array.from(found.values()).sort(function (a, b) { return b[4] - a[4] || (a[2] < b[2] ? -1 : 1); }).slice(0, 8);
  }

  function profileList(list) {
    var section = document.createElement("section");
    section.className = "entity-matches";
    var h = document.createElement("h2");
    h.textContent = say("search_profiles", "Profiles");
    section.appendChild(h);
    var ul = document.createElement("ul");
    ul.className = "chips";
    list.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + meta.kinds[e[1]] + "/" + e[3] + "/";
      a.textContent = e[2];
      li.appendChild(a);
      var n = document.createElement("span");
      n.className = "n";
      n.textContent = " " + e[4];
      li.appendChild(n);
      ul.appendChild(li);
    });
    section.appendChild(ul);
    return section;
  }

  // One result: [title, path, date, summary, names, text, cut].
  function result(d, m) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = base + d[1];
    marked(a, d[0], hits(d[0], m).found, 0, d[0].length);
    h.appendChild(a);
    li.appendChild(h);
    var time = document.createElement("p");
    time.className = "date";
    time.textContent = d[2];
    li.appendChild(time);
    var p = document.createElement("p");
    p.className = "snippet";
    if (!snippet(p, d[5], m)) marked(p, d[3], hits(d[3], m).found, 0, d[3].length);
    li.appendChild(p);
    if (d[4].length) {
      var named = document.createElement("p");
      named.className = "named-in";
      named.textContent = say("search_names", "Names " + d[4].join(", "), { names: d[4].join(WORDS.comma || ", ") });
      li.appendChild(named);
    }
    return li;
  }

  function clear() { while (out.firstChild) out.removeChild(out.firstChild); }
  function setStatus(text) { status.textContent = text; }

  function failed(err) { setStatus(say("search_failed", "Search failed: " + err.message, { error: err.message })); }
  function go() { shown = PAGE; run().catch(failed); }
  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(go, 150); }

  fetchJson("index.json").then(function (m) {
    meta = m;
    fillDates();
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); go(); });
    input.addEventListener("input", later);
    Object.keys(selects).forEach(function (name) {
      var select = selects[name];
      if (!select) return;
      select.addEventListener("change", function () { if (name === "year") fillMonths(); later(); });
      if (KINDS.indexOf(name) >= 0) {
        // The menus of names load when a reader reaches for them, not with every query.
        var load = function () { filterList(name).catch(failed); };
        select.addEventListener("focus", load);
        select.addEventListener("pointerenter", load);
      }
    });
    return readUrl();
  }).then(go).catch(function (err) { setStatus(say("search_unavailable", "Search is unavailable: " + err.message, { error: err.message })); });
})();
