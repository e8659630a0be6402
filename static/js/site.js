// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Copy buttons: the clipboard API where the page is a secure context,
  // else the selection and the older copy command (a site on plain http).
  function copyText(target) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(target.textContent.trim());
    }
    return new Promise(function (resolve, reject) {
      var range = document.createRange();
      range.selectNodeContents(target);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      if (copied) resolve(); else reject();
    });
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentElement.querySelector(".copy-status");
    if (!target) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(target).then(
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
