/* Praxis: the event form's repeat widget. The server composes the rule from the plain
 * fields, so the form works without this file; it only shows the parts that matter for
 * the chosen "Repeats" value (fields marked data-repeat-show="weekly monthly …") and,
 * for "Ends", only the count or the date. Used by the front-end form and the Wagtail admin.
 */
(function () {
  "use strict";

  function wrapper(element) {
    return element.closest(".form-field, .w-field__wrapper, [data-field-wrapper]") || element;
  }

  function checked(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function setup(select) {
    var form = select.form;
    if (!form) {
      return;
    }
    var parts = form.querySelectorAll("[data-repeat-show]");
    function update() {
      var repeat = select.value || "none";
      var ends = checked(form, "repeat_ends") || "count";
      parts.forEach(function (part) {
        var shown = part.getAttribute("data-repeat-show").split(" ").indexOf(repeat) !== -1;
        if (part.name === "repeat_count") {
          shown = shown && ends === "count";
        } else if (part.name === "repeat_until") {
          shown = shown && ends === "until";
        }
        wrapper(part).hidden = !shown;
      });
    }
    select.addEventListener("change", update);
    form.addEventListener("change", function (event) {
      if (event.target.name === "repeat_ends") {
        update();
      }
    });
    update();
  }

  function start() {
    document.querySelectorAll("select[data-repeat]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
