/* Optional enhancements; every page works without this file.
   - Request forms: show the refund-only fields only when "refund" is chosen, and the bank
     account fields only when loyalty money is not chosen. Hidden fields are disabled so
     they are not sent.
   - Confirmation: a "Copy code" button for easy return codes.
   - Error summary: moved into focus so screen readers and keyboards start there. */
(function () {
  "use strict";

  function chosenType(form) {
    var checked = form.querySelector('input[type="radio"][name$="cancellation_type"]:checked');
    if (checked) {
      return checked.value;
    }
    var fixed = form.querySelector('input[type="hidden"][name$="cancellation_type"]');
    return fixed ? fixed.value : "";
  }

  function show(element, visible) {
    element.hidden = !visible;
    element.querySelectorAll("input, select, textarea").forEach(function (control) {
      control.disabled = !visible;
    });
  }

  function sync(form) {
    var refund = chosenType(form) === "refund";
    form.querySelectorAll("[data-refund-only]").forEach(function (part) {
      show(part, refund);
    });
    var loyalty = form.querySelector('input[type="checkbox"][name$="fully_refund_as_loyalty_money"]');
    form.querySelectorAll("[data-bank-fields]").forEach(function (part) {
      show(part, !(loyalty && loyalty.checked));
    });
  }

  document.querySelectorAll("form[data-request-form]").forEach(function (form) {
    sync(form);
    form.addEventListener("change", function () {
      sync(form);
    });
  });

  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      var original = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (!target) {
          return;
        }
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          button.textContent = button.getAttribute("data-copied-text") || original;
          window.setTimeout(function () {
            button.textContent = original;
          }, 2500);
        });
      });
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
