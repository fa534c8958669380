/* Reading a QR code with the device's camera, where the browser can (BarcodeDetector: Chrome on Android, ChromeOS,
   macOS). A button [data-scan="<input id>"] (hidden until it can work) opens the camera in the <video
   data-scan-video> beside it; the first code read fills the input, closes the camera and, with [data-scan-submit],
   sends the input's form. Elsewhere the code is typed (or a handheld scanner types it). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-scan]"), function (button) {
    var input = document.getElementById(button.getAttribute("data-scan"));
    var video = button.parentNode.querySelector("[data-scan-video]"), stream = null, timer = null;
    if (!input || !video) { return; }
    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
      video.hidden = true;
    }
    button.hidden = false;
    if (input.form) { input.form.addEventListener("submit", stop); }
    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        video.play();
        timer = setInterval(function () {
          detector.detect(video).then(function (found) {
            if (!found.length) { return; }
            input.value = found[0].rawValue;
            stop();
            if (button.hasAttribute("data-scan-submit") && input.form) { input.form.requestSubmit(); }
          }, function () {});
        }, 300);
      }, function () { button.textContent = button.getAttribute("data-msg-camera") || button.textContent; });
    });
  });
});
