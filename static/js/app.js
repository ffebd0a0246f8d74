// Notes: the one small script besides htmx (the CSP allows no inline script).
// It sends the CSRF token on htmx requests, runs the theme toggle,
// dismisses toasts, copies text and counts down seconds. Everything works without it.
(function () {
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem('theme');
    if (saved === 'dark' || saved === 'light') root.classList.add(saved);
  } catch (e) {}

  // A resend the app asked for after a refused token refresh
  // (web/refresh_retry.go) keeps the address clean.
  if (window.location.search.indexOf('_resend=') !== -1 && window.URL && window.history.replaceState) {
    var here = new URL(window.location.href);
    here.searchParams.delete('_resend');
    window.history.replaceState(null, '', here.pathname + here.search + here.hash);
  }

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }

  document.addEventListener('htmx:configRequest', function (evt) {
    evt.detail.headers['X-CSRF-Token'] = csrfToken();
  });

  function isDark() {
    if (root.classList.contains('dark')) return true;
    if (root.classList.contains('light')) return false;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  }

  document.addEventListener('click', function (evt) {
    var t = evt.target.closest('[data-theme-toggle]');
    if (t) {
      var next = isDark() ? 'light' : 'dark';
      root.classList.remove('light', 'dark');
      root.classList.add(next);
      try { localStorage.setItem('theme', next); } catch (e) {}
      t.setAttribute('aria-pressed', String(next === 'dark'));
      return;
    }
    var copy = evt.target.closest('[data-copy]');
    if (copy) {
      var src = document.querySelector(copy.getAttribute('data-copy'));
      if (src && navigator.clipboard) {
        navigator.clipboard.writeText(src.textContent.trim()).then(function () {
          copy.textContent = 'Copied';
        }, function () {
          copy.textContent = 'Select and copy';
        });
      }
      return;
    }
    var close = evt.target.closest('[data-dismiss]');
    if (close) {
      var toast = close.closest('[data-toast]');
      if (toast) toast.remove();
    }
  });

  function armToasts(scope) {
    (scope || document).querySelectorAll('[data-toast]:not([data-armed])').forEach(function (el) {
      el.setAttribute('data-armed', '');
      if (el.getAttribute('data-kind') !== 'error') {
        setTimeout(function () { el.remove(); }, 6000);
      }
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var t = document.querySelector('[data-theme-toggle]');
    if (t) t.setAttribute('aria-pressed', String(isDark()));
    armToasts();
  });
  document.addEventListener('htmx:afterSettle', function () { armToasts(); });

  setInterval(function () {
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var n = parseInt(el.getAttribute('data-countdown'), 10);
      if (n > 0) {
        el.setAttribute('data-countdown', String(n - 1));
        el.textContent = String(n - 1);
      }
    });
  }, 1000);
})();
