// ==UserScript==
// @name         Time Tracker timer
// @namespace    timetracker
// @version      1.0.0
// @description  Per-question timer (Next / Pause / Undo / Exit) that reports to your Time Tracker server
/*__HEADER__*/
// @grant        GM_getValue
// @grant        GM_setValue
// @run-at       document-idle
// ==/UserScript==

// Served by the Time Tracker API at /widget/timer.user.js, which fills in the server URL and
// the pages to run on. Requests are plain fetch: the server answers CORS for the configured
// origins. The server URL and the personal token live in the userscript manager's storage
// (GM_getValue), which the host page's own scripts cannot read, and which every site the
// script runs on shares, so they are entered once; loaded as a plain script (no manager),
// they fall back to localStorage. Events wait in localStorage while the server is
// unreachable and are replayed in order with their original timestamps and event ids.
(function () {
  "use strict";

  const DEFAULT_SERVER = /*__SERVER_URL__*/ "";
  const KEY = {
    server: "tt_timer_server",
    token: "tt_timer_token",
    queue: "tt_timer_queue",
    state: "tt_timer_state",
    newest: "tt_timer_newest", // the event_id of the latest press, in any tab
    project: "tt_timer_project", // {id, name} of the project chosen for sessions (null: none), in any tab
  };
  const RETRY_MS = 5000;
  // With Alt; by key position (event.code), since Alt changes the typed character on macOS.
  const SHORTCUTS = { KeyN: "NEXT", KeyP: "PAUSE", KeyU: "UNDO", KeyX: "EXIT" };

  const load = (key, fallback) => {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (_) {
      return fallback;
    }
  };
  const save = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  // --- the settings (server URL, token): out of the page's reach when a manager runs us
  const manager = typeof GM_getValue === "function" && typeof GM_setValue === "function";
  const loadSetting = (key, fallback) => (manager ? GM_getValue(key, fallback) : load(key, fallback));
  const saveSetting = (key, value) => (manager ? GM_setValue(key, value) : save(key, value));
  if (manager) {
    // An earlier version kept them in this site's localStorage: move them out of the page's reach.
    for (const key of [KEY.server, KEY.token]) {
      const old = load(key, null);
      if (old !== null) {
        if (GM_getValue(key, null) === null) GM_setValue(key, old);
        localStorage.removeItem(key);
      }
    }
  }

  // --- the state machine, as the server runs it, so the display never waits for the network
  const idle = () => ({ active: false, index: 0, startedAt: 0, pausedMs: 0, pauseStart: null, closed: [], target: 330 });
  let state = load(KEY.state, idle());

  function step(type, at) {
    const s = state;
    if (!s.active) {
      if (type !== "NEXT") return false;
      state = { ...idle(), target: s.target, active: true, index: 1, startedAt: at };
      return true;
    }
    if (type === "PAUSE") {
      if (s.pauseStart === null) s.pauseStart = at;
      else {
        s.pausedMs += at - s.pauseStart;
        s.pauseStart = null;
      }
    } else if (type === "NEXT" || type === "EXIT") {
      s.closed.push({ index: s.index, startedAt: s.startedAt, pausedMs: s.pausedMs, pauseStart: s.pauseStart });
      if (s.closed.length > 50) s.closed.shift();
      if (type === "EXIT") state = { ...idle(), target: s.target };
      else Object.assign(s, { index: s.index + 1, startedAt: at, pausedMs: 0, pauseStart: null });
    } else if (type === "UNDO") {
      const last = s.closed.pop();
      if (!last) return false;
      Object.assign(s, last);
    }
    return true;
  }

  function adopt(answer) {
    // The server's word wins once everything queued has been applied.
    // A new session has no project yet: the chosen one is given to it.
    if (answer.session_id !== state.sessionId) state.sessionProject = undefined;
    state.sessionId = answer.session_id;
    state.target = answer.target_pace_seconds || state.target;
    state.questions = answer.total_questions;
    state.lastTime = answer.last_question_time;
    if (!answer.session_active) {
      Object.assign(state, { active: false, index: 0, pauseStart: null, closed: [] });
      return;
    }
    Object.assign(state, {
      active: true,
      index: answer.current_question,
      startedAt: Date.parse(answer.question_started_at),
      pausedMs: answer.pause_accumulated_seconds * 1000,
      pauseStart: answer.pause_started_at ? Date.parse(answer.pause_started_at) : null,
    });
  }

  // --- the queue
  let queue = load(KEY.queue, []);
  let sending = false;
  let retryTimer = null;
  let note = "";

  const newId = () =>
    window.crypto && crypto.randomUUID
      ? crypto.randomUUID()
      : Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);

  // Tabs of one site share localStorage: work on the shared copy, never on this tab's old one.
  function refresh() {
    state = load(KEY.state, state);
    queue = load(KEY.queue, []);
  }

  function press(type) {
    const at = Date.now();
    refresh(); // another tab may have pressed since
    if (!step(type, at)) {
      note = type + " needs an active session" + (type === "UNDO" ? " with a closed question" : "");
      render();
      return;
    }
    save(KEY.state, state);
    const event = { type: type, timestamp: new Date(at).toISOString(), event_id: newId() };
    queue.push(event);
    save(KEY.queue, queue);
    save(KEY.newest, event.event_id);
    note = "";
    render();
    send();
  }

  function later(ms) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(send, ms);
  }

  async function send() {
    const [server, token] = serverAndToken();
    refresh();
    if (sending || !queue.length || !server || !token) return;
    sending = true;
    try {
      while ((queue = load(KEY.queue, [])).length) {
        const event = queue[0];
        let response;
        try {
          response = await fetch(server + "/api/v1/timer/events", {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
            body: JSON.stringify(event),
          });
        } catch (_) {
          note = "offline";
          later(RETRY_MS);
          return;
        }
        if (response.status === 429 || response.status >= 500) {
          const wait = Number(response.headers.get("Retry-After")) || RETRY_MS / 1000;
          note = "server busy, retrying";
          later(wait * 1000);
          return;
        }
        if (response.status === 401) {
          note = "token refused: set a new one (⚙)";
          return;
        }
        const body = await response.json().catch(() => ({}));
        // By id, from the shared copy: another tab may have queued more, or sent this one too
        // (the server answers a repeated event_id with its first answer).
        queue = load(KEY.queue, []).filter((queued) => queued.event_id !== event.event_id);
        save(KEY.queue, queue);
        // Written back only when this answer changes it: another tab may have saved a newer
        // state since this tab read its copy, and an unchanged copy written back would undo it.
        state = load(KEY.state, state);
        if (response.ok) {
          // Only the newest press's answer describes now: an older one (this tab resending what
          // another tab sent first gets that first answer again) would roll the display back.
          if (!queue.length && event.event_id === load(KEY.newest, null)) {
            adopt(body);
            save(KEY.state, state);
            applyProject(false);
          }
          note = "";
        } else {
          // Refused for good (e.g. older than the last applied event): retrying cannot help.
          note = body.message || "refused (" + response.status + ")";
        }
      }
    } finally {
      sending = false;
      render();
    }
  }

  // --- the project the session's time counts for: chosen here, given to the session by the server
  const serverAndToken = () => [
    (loadSetting(KEY.server, DEFAULT_SERVER) || "").replace(/\/+$/, ""),
    loadSetting(KEY.token, ""),
  ];

  const chosenProject = () => load(KEY.project, null);

  function showProjects(projects) {
    const chosen = chosenProject();
    const select = $("project");
    select.replaceChildren(new Option("No project", ""));
    for (const project of projects) select.add(new Option(project.path || project.name, project.id));
    if (chosen && !projects.some((project) => project.id === chosen.id)) select.add(new Option(chosen.name, chosen.id));
    select.value = chosen ? chosen.id : "";
  }

  // Asked for when the picker is opened, not on every page the script runs on.
  async function loadProjects() {
    const [server, token] = serverAndToken();
    if (!server || !token) return;
    try {
      const response = await fetch(server + "/api/v1/projects", { headers: { Authorization: "Bearer " + token } });
      if (response.ok) showProjects((await response.json()).filter((project) => !project.archived));
    } catch (_) {
      // Offline: the list comes the next time the picker is opened.
    }
  }

  // Give the running session the chosen project: after a press starts a session (only when one
  // is chosen: a session has none by default), or whenever the choice changes (`changed`).
  async function applyProject(changed) {
    const [server, token] = serverAndToken();
    const chosen = chosenProject();
    const id = chosen ? chosen.id : "";
    if (!state.active || !state.sessionId || !server || !token) return;
    if (!changed && (!id || state.sessionProject === id)) return;
    try {
      const response = await fetch(server + "/api/v1/timer/sessions/" + state.sessionId, {
        method: "PATCH",
        headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
        body: JSON.stringify({ project_id: id || null }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        state.sessionProject = id;
        save(KEY.state, state);
      } else {
        note = body.message || "project refused (" + response.status + ")";
      }
    } catch (_) {
      note = "offline: the project is set when the server answers";
    }
    render();
  }

  // --- the panel
  const fmt = (seconds) => {
    const whole = Math.max(0, Math.round(seconds));
    return String(Math.floor(whole / 60)).padStart(2, "0") + ":" + String(whole % 60).padStart(2, "0");
  };
  const panel = document.createElement("div");
  panel.id = "tt-timer";
  panel.style.cssText =
    "position:fixed;bottom:12px;right:12px;z-index:2147483647;background:#1e1e2e;color:#eee;" +
    "font:13px/1.4 system-ui,sans-serif;padding:8px 10px;border-radius:8px;box-shadow:0 2px 8px #0006;min-width:190px";
  panel.innerHTML =
    '<div><b>Q<span id="tt-index">–</span></b> <span id="tt-time" style="font-size:18px">00:00</span>' +
    ' <span id="tt-pace"></span></div>' +
    '<div id="tt-info" style="opacity:.8"></div>' +
    '<select id="tt-project" title="The project this session counts for" style="width:100%;margin-top:4px">' +
    '<option value="">No project</option></select>' +
    '<div style="margin-top:4px">' +
    ["next:Next (Alt+N)", "pause:Pause (Alt+P)", "undo:Undo (Alt+U)", "exit:Exit (Alt+X)", "setup:⚙"]
      .map((b) => {
        const [id, title] = b.split(":");
        const label = id === "setup" ? "⚙" : title.split(" ")[0];
        return '<button id="tt-' + id + '" title="' + title + '" style="margin-right:3px">' + label + "</button>";
      })
      .join("") +
    "</div>" +
    '<form id="tt-config" style="display:none;margin-top:6px">' +
    '<input id="tt-server" placeholder="Server URL" style="width:100%"><br>' +
    '<input id="tt-token" type="password" placeholder="Personal API token (ttp_…)" style="width:100%"><br>' +
    '<button id="tt-save" type="submit">Save</button></form>';
  document.body.appendChild(panel);
  const $ = (id) => panel.querySelector("#tt-" + id);

  function render() {
    const now = Date.now();
    if (state.active) {
      const paused = state.pausedMs + (state.pauseStart !== null ? now - state.pauseStart : 0);
      const seconds = (now - state.startedAt - paused) / 1000;
      $("index").textContent = state.index;
      $("time").textContent = fmt(seconds) + (state.pauseStart !== null ? " ⏸" : "");
      const pace = Math.round((100 * seconds) / state.target);
      $("pace").textContent = pace + "% of " + fmt(state.target);
      $("pace").style.color = seconds > state.target ? "#f38ba8" : "#a6e3a1";
    } else {
      $("index").textContent = "–";
      $("time").textContent = "00:00";
      $("pace").textContent = "";
    }
    const configured = loadSetting(KEY.token, "") && loadSetting(KEY.server, DEFAULT_SERVER);
    const parts = [];
    if (state.questions !== undefined) parts.push(state.questions + " done" + (state.lastTime ? ", last " + state.lastTime : ""));
    if (queue.length) parts.push(queue.length + " queued");
    if (!configured) parts.push("set server and token (⚙)");
    if (note) parts.push(note);
    $("info").textContent = parts.join(" · ");
  }

  for (const [id, type] of [["next", "NEXT"], ["pause", "PAUSE"], ["undo", "UNDO"], ["exit", "EXIT"]]) {
    $(id).addEventListener("click", () => press(type));
  }
  $("setup").addEventListener("click", () => {
    const form = $("config");
    form.style.display = form.style.display === "none" ? "block" : "none";
    $("server").value = loadSetting(KEY.server, DEFAULT_SERVER) || "";
  });
  $("project").addEventListener("focus", loadProjects);
  $("project").addEventListener("change", () => {
    const select = $("project");
    save(KEY.project, select.value ? { id: select.value, name: select.selectedOptions[0].text } : null);
    applyProject(true);
  });
  $("config").addEventListener("submit", (event) => {
    event.preventDefault();
    saveSetting(KEY.server, $("server").value.trim());
    if ($("token").value.trim()) saveSetting(KEY.token, $("token").value.trim());
    $("token").value = "";
    $("config").style.display = "none";
    note = "";
    render();
    send();
  });
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const type = SHORTCUTS[event.code];
    if (type) {
      event.preventDefault();
      press(type);
    }
  });
  window.addEventListener("online", send);
  // Another tab pressed or sent: show its state, and help deliver what it queued.
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY.queue && event.key !== KEY.state) return;
    refresh();
    render();
    if (event.key === KEY.queue) send();
  });

  setInterval(render, 1000);
  render();
  send();
  showProjects([]);
})();
