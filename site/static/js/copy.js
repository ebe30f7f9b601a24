/* Praxis: copy buttons. <button data-copy="ID" hidden> copies the value of the input #ID;
 * the buttons are shown only when the clipboard can be written, so without this file (or
 * without clipboard access) the read-only field is still there to select and copy by hand.
 * A [role=status] element with data-copied="…" announces the copy.
 */
(function () {
  "use strict";

  function start() {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          var status = button.closest("section").querySelector("[data-copied]");
          if (status) {
            status.textContent = status.getAttribute("data-copied");
          }
        }, function () {
          input.select();
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
