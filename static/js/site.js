// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Copy buttons: shown only when the clipboard can be written.
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentElement.querySelector(".copy-status");
    if (!target) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(
        function () {
          if (status) status.textContent = "已复制";
        },
        function () {
          if (status) status.textContent = "复制失败，请手动选择文字复制";
        }
      );
    });
  });

  // Filter forms apply a changed select at once; the submit button stays for
  // keyboard users and for browsers without scripts.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
