// Postroom dashboard progressive enhancement. Every page works without this file; it only
// adds confirmations, a live compose preview and auto-refresh of in-flight message states.
/* global document, window, setTimeout, clearTimeout */
(function () {
  'use strict';

  // Buttons with data-confirm ask before submitting (cancel, revoke, remove).
  document.addEventListener('submit', function (ev) {
    var btn = ev.submitter;
    var msg = (btn && btn.getAttribute('data-confirm')) || ev.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  // Live preview: re-submit the preview form into the sandboxed iframe as the HTML changes.
  var live = document.querySelector('[data-live-preview]');
  if (live) {
    var form = live.form;
    var timer = null;
    var refresh = function () {
      var target = form.querySelector('[data-preview-button]');
      if (target) target.click();
    };
    ['input', 'change'].forEach(function (t) {
      form.addEventListener(t, function (ev) {
        if (ev.target && ev.target.type === 'file') return;
        clearTimeout(timer);
        timer = setTimeout(refresh, 400);
      });
    });
  }

  // A page showing a non-final state reloads itself until the state settles.
  var pending = document.querySelector('[data-refresh-seconds]');
  if (pending) {
    var s = Number(pending.getAttribute('data-refresh-seconds')) || 2;
    setTimeout(function () { window.location.reload(); }, s * 1000);
  }
})();
