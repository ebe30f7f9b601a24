/* Praxis: the event form's small helpers, in the front-end form and the Wagtail admin.
 * The form works without this file. It
 * - shows room and track (fields marked data-kinds="session") only while Kind is "Session";
 * - moves the time zone to the chosen organisation's (the organiser select's data-zones)
 *   until the person picks a zone themselves.
 */
(function () {
  "use strict";

  function wrapper(element) {
    return element.closest(".form-field, .w-field__wrapper, [data-field-wrapper]") || element;
  }

  function setupKinds(form) {
    var kind = form.querySelector('select[name="kind"]');
    var parts = form.querySelectorAll("[data-kinds]");
    if (!kind || !parts.length) {
      return;
    }
    function update() {
      parts.forEach(function (part) {
        var shown = part.getAttribute("data-kinds").split(" ").indexOf(kind.value) !== -1;
        // A field with a value or an error stays visible, so nothing typed is hidden away.
        var keep = part.value || wrapper(part).querySelector(".errorlist, .error-message");
        wrapper(part).hidden = !shown && !keep;
      });
    }
    kind.addEventListener("change", update);
    update();
  }

  function setupZone(form) {
    var organiser = form.querySelector("select[data-zones]");
    var zone = form.querySelector('select[name="timezone"]');
    if (!organiser || !zone) {
      return;
    }
    var zones = JSON.parse(organiser.getAttribute("data-zones") || "{}");
    var chosenByPerson = false;
    zone.addEventListener("change", function () { chosenByPerson = true; });
    organiser.addEventListener("change", function () {
      var wanted = zones[organiser.value];
      if (!chosenByPerson && wanted) {
        zone.value = wanted;
      }
    });
  }

  function start() {
    document.querySelectorAll("form").forEach(function (form) {
      setupKinds(form);
      setupZone(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
