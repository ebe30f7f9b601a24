/* Praxis live session chat: the browser side of /ws/chat/<event-id>/.
 *
 * Plain JavaScript, no build step. The protocol is in the README (frame types and
 * fields). What this file does:
 * - connects, shows the room's history and the people present;
 * - Enter sends (Shift+Enter is a new line); a sent message shows as pending until the
 *   server's own copy (same client_id) comes back, and is sent again with the same
 *   client_id after a reconnect, so it is never lost and never doubled;
 * - reconnects with exponential back-off (1 s doubling to 30 s, with jitter) and asks
 *   for everything after the last message it saw (?after=<id>);
 * - a Q&A tab with the questions by votes; moderators get delete, mute, answered,
 *   slow mode and open/close controls; members can hide their own messages from the
 *   transcript kept after the session;
 * - errors and new messages are announced in an aria-live region; the tabs work with
 *   the arrow keys.
 * Message HTML comes from the server, sanitised on write by the one sanitiser; names and
 * everything else are set as text.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-chat]");
  if (!root || !("WebSocket" in window)) {
    return;
  }
  var T = JSON.parse(document.getElementById("chat-i18n").textContent);
  var $ = function (name) { return root.querySelector("[data-chat-" + name + "]"); };
  var log = $("log"), questionsList = $("questions"), form = $("form"), textarea = $("text");
  var asQuestion = $("question"), live = $("live"), errorBox = $("error"), statusEl = $("status");
  var presenceEl = $("presence"), moderation = $("moderation"), tabs = $("tabs");
  var nameInput = $("name"), nameField = $("name-field");

  var socket = null;
  var lastId = 0;
  var attempt = 0;
  var me = null;
  var guest = false;   // posting as a guest under a display name (CHAT_GUEST_POSTING)
  var canPost = false;
  var canModerate = false;
  var roomState = "read_only";
  var slowMode = 0;
  var messages = {};   // id -> message payload
  var pending = {};    // client_id -> {text, question, el}
  var voted = {};
  var mutedHere = false;

  function fmt(template, value) { return template.replace("%s", value); }

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 30);
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function timeOf(iso) {
    var when = new Date(iso);
    var node = el("time", "chat__time", when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    node.dateTime = iso;
    return node;
  }

  function button(label, onClick) {
    var node = el("button", "link-button", label);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function renderMessage(m) {
    var item = el("li", "chat__message" + (m.question ? " chat__message--question" : ""));
    item.id = "chat-message-" + m.id;
    item.appendChild(el("span", "chat__author", m.author.name));
    if (m.author.guest) { item.appendChild(el("span", "badge badge--guest", T.guest)); }
    item.appendChild(document.createTextNode(" "));
    item.appendChild(timeOf(m.created));
    if (m.question) {
      item.appendChild(el("span", "badge", T.question));
    }
    var body = el("div", "chat__text");
    body.innerHTML = m.html;  // sanitised on write by community.sanitise
    item.appendChild(body);
    if (me && m.author.id === me.id) {
      var own = el("span", "chat__tools");
      own.appendChild(button(T.hide, function () { send({ type: "hide", id: m.id }); }));
      item.appendChild(own);
    }
    if (canModerate) {
      var tools = el("span", "chat__tools");
      tools.appendChild(button(T.delete, function () { send({ type: "delete", id: m.id }); }));
      if (m.author.guest) {
        tools.appendChild(button(T.mute, function () { send({ type: "mute", message_id: m.id, minutes: 10 }); }));
      } else if (m.author.id !== null && (!me || m.author.id !== me.id)) {
        tools.appendChild(button(T.mute, function () { send({ type: "mute", user_id: m.author.id, minutes: 10 }); }));
      }
      item.appendChild(tools);
    }
    return item;
  }

  function addMessage(m, quiet) {
    if (messages[m.id]) {
      return;
    }
    messages[m.id] = m;
    lastId = Math.max(lastId, m.id);
    var item = renderMessage(m);
    var mine = pending[m.client_id] && (me ? m.author.id === me.id : m.author.guest);
    if (mine) {
      log.replaceChild(item, pending[m.client_id].el);
      delete pending[m.client_id];
    } else {
      var atBottom = log.parentNode.scrollTop + log.parentNode.clientHeight >= log.parentNode.scrollHeight - 20;
      log.appendChild(item);
      if (atBottom) { log.parentNode.scrollTop = log.parentNode.scrollHeight; }
      if (!quiet) { announce(fmt(T.new_message, m.author.name)); }
    }
    if (m.question) { renderQuestions(); }
  }

  function renderQuestions() {
    var list = [];
    Object.keys(messages).forEach(function (id) {
      if (messages[id].question) { list.push(messages[id]); }
    });
    list.sort(function (a, b) { return b.votes - a.votes || a.id - b.id; });
    questionsList.textContent = "";
    list.forEach(function (q) {
      var item = el("li", "chat__question" + (q.answered ? " chat__question--answered" : ""));
      item.appendChild(el("span", "chat__votes", q.votes + " " + T.votes));
      item.appendChild(el("span", "chat__author", q.author.name));
      var body = el("div", "chat__text");
      body.innerHTML = q.html;  // sanitised on write
      item.appendChild(body);
      if (q.answered) {
        item.appendChild(el("span", "badge", T.answered));
      }
      if (me) {
        var vote = button(voted[q.id] ? T.voted : T.vote, function () { send({ type: "vote", id: q.id }); });
        vote.disabled = !!voted[q.id];
        vote.setAttribute("aria-pressed", voted[q.id] ? "true" : "false");
        item.appendChild(vote);
      }
      if (canModerate && !q.answered) {
        item.appendChild(button(T.mark_answered, function () { send({ type: "answer", id: q.id }); }));
      }
      questionsList.appendChild(item);
    });
    root.querySelector("[data-chat-question-count]").textContent = "(" + list.length + ")";
  }

  function updateControls() {
    form.hidden = !canPost;
    moderation.hidden = !canModerate;
    tabs.hidden = false;
    var text = roomState === "open" ? T.open : T.read_only;
    if (slowMode) { text += " " + fmt(T.slow_mode, slowMode); }
    statusEl.textContent = text;
    $("slow").value = String(slowMode);
  }

  function addPending(clientId, text, question) {
    var item = el("li", "chat__message chat__message--pending");
    item.appendChild(el("span", "chat__author", me ? me.name : guestName()));
    item.appendChild(el("span", "chat__state", " " + T.sending));
    item.appendChild(el("div", "chat__text", text));
    log.appendChild(item);
    log.parentNode.scrollTop = log.parentNode.scrollHeight;
    pending[clientId] = { text: text, question: question, el: item };
  }

  function guestName() {
    return nameInput ? nameInput.value.trim() : "";
  }

  function postFrame(text, clientId, question) {
    var frame = { type: "post", text: text, client_id: clientId, question: question };
    if (guest) { frame.name = guestName(); }
    return frame;
  }

  function resendPending() {
    Object.keys(pending).forEach(function (clientId) {
      var p = pending[clientId];
      send(postFrame(p.text, clientId, p.question));
    });
  }

  // After a reconnect: questions seen before take their current votes and mark.
  function takeQuestions(questions) {
    (questions || []).forEach(function (q) {
      if (messages[q.id]) {
        messages[q.id].votes = q.votes;
        messages[q.id].answered = q.answered;
      } else {
        messages[q.id] = q;
      }
    });
  }

  // Deleted by a moderator (live, or while this client was away).
  function removeMessages(ids) {
    (ids || []).forEach(function (id) {
      var gone = document.getElementById("chat-message-" + id);
      if (gone) { gone.parentNode.removeChild(gone); }
      delete messages[id];
    });
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "room":
        me = frame.me;
        guest = !me && !!frame.guest;
        if (nameField) { nameField.hidden = !guest; }
        canPost = frame.can_post;
        canModerate = frame.can_moderate;
        mutedHere = !!frame.muted_until;
        roomState = frame.state;
        slowMode = frame.slow_mode;
        (frame.voted || []).forEach(function (id) { voted[id] = true; });
        takeQuestions(frame.questions);
        removeMessages(frame.deleted);
        frame.history.forEach(function (m) { delete messages[m.id]; addMessage(m, true); });
        presenceEl.textContent = fmt(T.present, frame.presence);
        attempt = 0;
        showError("");
        updateControls();
        renderQuestions();
        resendPending();
        if (frame.more) { send({ type: "resume", after: lastId }); }
        break;
      case "message":
        addMessage(frame, false);
        break;
      case "history":
        if (frame.questions) { takeQuestions(frame.questions); }
        removeMessages(frame.deleted);
        frame.messages.forEach(function (m) { addMessage(m, true); });
        renderQuestions();
        if (frame.more) { send({ type: "resume", after: lastId }); }
        break;
      case "deleted":
        removeMessages([frame.id]);
        renderQuestions();
        announce(T.deleted);
        break;
      case "votes":
        if (messages[frame.id]) { messages[frame.id].votes = frame.votes; }
        renderQuestions();
        break;
      case "answered":
        if (messages[frame.id]) { messages[frame.id].answered = true; }
        renderQuestions();
        break;
      case "muted":
        if (me && frame.user_id === me.id) {
          mutedHere = true;
          canPost = false;
          updateControls();
          showError(T.muted);
        }
        break;
      case "state":
        roomState = frame.state;
        slowMode = frame.slow_mode;
        canPost = (!!me || guest) && roomState === "open" && !mutedHere;
        updateControls();
        announce(statusEl.textContent);
        break;
      case "hidden":
        var mine = document.getElementById("chat-message-" + frame.id);
        if (mine && frame.hidden) {
          var tools = mine.querySelector(".chat__tools");
          tools.textContent = T.hidden;
          announce(T.hidden);
        }
        break;
      case "presence":
        presenceEl.textContent = fmt(T.present, frame.count);
        break;
      case "error":
        if (frame.client_id && pending[frame.client_id]) {
          var failed = pending[frame.client_id].el;
          failed.className = "chat__message chat__message--failed";
          failed.querySelector(".chat__state").textContent = " " + T.failed + " " + frame.message;
          if (!textarea.value) { textarea.value = pending[frame.client_id].text; }
          delete pending[frame.client_id];
        }
        showError(frame.message);
        break;
      default:
        break;
    }
  }

  function connect() {
    statusEl.textContent = T.connecting;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + root.getAttribute("data-chat-url") + (lastId ? "?after=" + lastId : "");
    socket = new WebSocket(url);
    socket.addEventListener("message", function (event) {
      try {
        onFrame(JSON.parse(event.data));
      } catch (problem) {
        window.console.error(problem);
      }
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === 4404 || event.code === 1008) {
        statusEl.textContent = T.gone;
        form.hidden = true;
        return;
      }
      var delay = Math.min(30, Math.pow(2, attempt)) * (0.75 + Math.random() / 2);
      attempt += 1;
      statusEl.textContent = fmt(T.reconnecting, Math.round(delay));
      window.setTimeout(connect, delay * 1000);
    });
  }

  if (nameInput) {
    try { nameInput.value = window.localStorage.getItem("praxis-chat-name") || ""; } catch (e) { /* private mode */ }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = textarea.value.trim();
    if (!text) { return; }
    if (guest && !guestName()) { showError(T.name_needed); nameInput.focus(); return; }
    var clientId = newClientId();
    var question = !!asQuestion.checked;
    addPending(clientId, text, question);
    textarea.value = "";
    asQuestion.checked = false;
    if (guest && nameInput) {
      try { window.localStorage.setItem("praxis-chat-name", guestName()); } catch (e) { /* private mode */ }
    }
    send(postFrame(text, clientId, question));  // else sent on reconnect
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  $("slow").addEventListener("change", function (event) {
    send({ type: "slow_mode", seconds: parseInt(event.target.value, 10) });
  });
  root.querySelectorAll("[data-chat-set-state]").forEach(function (node) {
    node.addEventListener("click", function () { send({ type: "set_state", state: node.getAttribute("data-chat-set-state") }); });
  });

  var tabButtons = root.querySelectorAll("[data-chat-tab]");
  function selectTab(tab) {
    tabButtons.forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
    });
    tab.focus();
  }
  tabButtons.forEach(function (tab, index) {
    tab.addEventListener("click", function () { selectTab(tab); });
    tab.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        var step = event.key === "ArrowRight" ? 1 : -1;
        selectTab(tabButtons[(index + step + tabButtons.length) % tabButtons.length]);
      }
    });
  });

  connect();
})();
