/* Praxis: small progressive enhancements. Everything works without this file.
 *
 * 1. Forms marked [data-autosubmit] (the language switcher) submit when their <select>
 *    changes by mouse or touch, or when Enter is pressed on it. Changes made with the
 *    arrow keys do not submit (that would reload the page on every key press, WCAG 3.2.2);
 *    the visible submit button stays for that.
 * 2. <time datetime="2025-05-14T09:00:00+02:00" data-local> is rewritten in the viewer's
 *    own time zone, followed by "(your time)" (translated: <body data-your-time>).
 *    data-local="time" shows the time only, "date" the date only, anything else date and
 *    time. Add data-local-nosuffix to leave out "(your time)" (e.g. the start of a range).
 *    The server-rendered text is kept in the title attribute. Date-only values and values
 *    without an explicit offset are left alone.
 * 3. <details data-open-wide> (the filter panels) opens on screens 48em and wider, so only
 *    phones see the panel collapsed behind its one button and the results come first.
 */
(function () {
  "use strict";

  var NAV_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];

  function autosubmit(form) {
    var keyboardChange = false;
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          submit(form);
        } else if (NAV_KEYS.indexOf(event.key) !== -1 || event.key.length === 1) {
          keyboardChange = true;
        }
      });
      select.addEventListener("pointerdown", function () {
        keyboardChange = false;
      });
      select.addEventListener("change", function () {
        if (!keyboardChange) {
          submit(form);
        }
        keyboardChange = false;
      });
    });
  }

  function submit(form) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  var OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

  function localiseTimes(root) {
    var suffix = (document.body && document.body.getAttribute("data-your-time")) || "(your time)";
    var locale = document.documentElement.lang || undefined;
    if (locale === "en") {
      locale = "en-GB"; // a European site: 24-hour clock, day before month
    }
    if (typeof Intl === "undefined" || !Intl.DateTimeFormat) {
      return;
    }
    root.querySelectorAll("time[datetime][data-local]:not([data-localised])").forEach(function (el) {
      var value = el.getAttribute("datetime");
      if (value.indexOf("T") === -1 || !OFFSET.test(value)) {
        return; // a date, or a floating time: there is nothing to convert
      }
      var date = new Date(value);
      if (isNaN(date.getTime())) {
        return;
      }
      var mode = el.getAttribute("data-local");
      var options =
        mode === "time"
          ? { hour: "2-digit", minute: "2-digit" }
          : mode === "date"
          ? { weekday: "long", day: "numeric", month: "long", year: "numeric" }
          : { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" };
      var text;
      try {
        text = new Intl.DateTimeFormat(locale, options).format(date);
      } catch (error) {
        text = new Intl.DateTimeFormat(undefined, options).format(date);
      }
      var original = el.textContent.trim();
      if (original && !el.hasAttribute("title")) {
        el.setAttribute("title", original);
      }
      el.textContent = el.hasAttribute("data-local-nosuffix") ? text : text + " " + suffix;
      el.classList.add("local-time");
      el.setAttribute("data-localised", "");
    });
  }

  function openWide() {
    if (window.matchMedia && window.matchMedia("(min-width: 48em)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
        details.open = true;
      });
    }
  }

  function init() {
    document.querySelectorAll("form[data-autosubmit]").forEach(autosubmit);
    localiseTimes(document);
    openWide();
  }

  window.Praxis = window.Praxis || {};
  window.Praxis.localiseTimes = localiseTimes; // for content added later (e.g. the chat)

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
