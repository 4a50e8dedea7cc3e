// The course's webcam widget (helpers/webcam.py): the browser owns the camera, the kernel
// annotates. Frames go to the kernel as small JPEGs, one at a time: the next is sent only
// when the annotated one has come back (and not faster than max_fps), so a slow kernel makes
// the widget drop frames instead of queueing them. No CDN: this file ships with the course.

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "course-webcam";
  const bar = document.createElement("div");
  bar.className = "course-webcam-bar";
  const start = document.createElement("button");
  start.textContent = "Start camera";
  const stop = document.createElement("button");
  stop.textContent = "Stop";
  stop.disabled = true;
  const stats = document.createElement("span");
  stats.className = "course-webcam-stats";
  bar.append(start, stop, stats);
  const view = document.createElement("img");
  view.className = "course-webcam-view";
  view.alt = "the annotated frame";
  view.hidden = true;  // until the first annotated frame arrives (an empty img shows a broken icon)
  const status = document.createElement("div");
  status.className = "course-webcam-status";
  root.append(bar, view, status);
  el.append(root);

  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  const canvas = document.createElement("canvas");
  let stream = null;
  let running = false;
  let inFlight = false;
  let lastSent = 0;
  let lastUrl = null;
  const shown = [];        // [arrival time, round trip] of recent annotated frames


  const say = (text) => {
    status.textContent = text;
    model.set("status", text);
    model.save_changes();
  };
  say(model.get("status"));

  // how many camera tracks this page's webcam widgets hold open, summed over all views
  // (a re-run cell removes its view; the browser test checks that this falls back to 0)
  const countLive = (delta) => {
    window.courseWebcamLiveTracks = (window.courseWebcamLiveTracks || 0) + delta;
  };

  function release() {
    running = false;
    inFlight = false;
    if (stream) {
      for (const track of stream.getTracks()) track.stop();
      countLive(-stream.getTracks().length);
      stream = null;
    }
    video.srcObject = null;
    root.dataset.liveTracks = "0";
    model.set("camera_on", false);
    model.save_changes();
    start.disabled = false;
    stop.disabled = true;
  }

  function sendFrame() {
    if (!running) return;
    const now = performance.now();
    const gap = 1000 / Math.max(0.5, model.get("max_fps"));
    if (inFlight || now - lastSent < gap || video.readyState < 2) {
      requestAnimationFrame(sendFrame);
      return;
    }
    canvas.width = model.get("width");
    canvas.height = model.get("height");
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    inFlight = true;
    lastSent = now;
    canvas.toBlob(async (blob) => {
      if (!running || !blob) { inFlight = false; return; }
      const buffer = await blob.arrayBuffer();
      model.send({ type: "frame", sent: now }, undefined, [buffer]);
      requestAnimationFrame(sendFrame);
    }, "image/jpeg", model.get("quality"));
  }

  model.on("msg:custom", (msg, buffers) => {
    if (msg.type !== "annotated") return;
    inFlight = false;
    if (!running) return;
    const now = performance.now();
    shown.push([now, now - msg.sent]);
    while (shown.length && now - shown[0][0] > 3000) shown.shift();  // the last 3 seconds
    const fps = shown.length > 1 ? (shown.length - 1) / ((now - shown[0][0]) / 1000) : 0;
    const trips = shown.map((s) => s[1]).sort((a, b) => a - b);
    const roundTrip = trips[Math.floor(trips.length / 2)];  // the median: one slow frame does not move it
    if (buffers && buffers.length) {
      const url = URL.createObjectURL(new Blob([buffers[0]], { type: "image/jpeg" }));
      view.src = url;
      view.hidden = false;
      if (lastUrl) URL.revokeObjectURL(lastUrl);
      lastUrl = url;
    }
    stats.textContent = `${fps.toFixed(1)} frames/s, round trip ${roundTrip.toFixed(0)} ms`;
    stats.dataset.fps = fps.toFixed(2);
    stats.dataset.roundTrip = roundTrip.toFixed(1);
    status.textContent = msg.text || "";
    if (msg.done) {  // the kernel has all it needs (a recording is finished): free the camera
      release();
      say(msg.text || "done: the camera is released");
    }
  });

  start.addEventListener("click", async () => {
    start.disabled = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("This browser gives the page no camera (it needs https or localhost). Use the demo video below.");
      model.set("error", "no-media-devices");
      model.save_changes();
      start.disabled = false;
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { width: model.get("width"), height: model.get("height") },
        audio: false,
      });
    } catch (err) {
      const why = err && err.name === "NotAllowedError"
        ? "The browser was refused the camera (permission denied)."
        : err && err.name === "NotFoundError"
          ? "The browser found no camera."
          : `The camera could not be opened (${err && err.name}).`;
      say(`${why} The demo video below shows the same detector.`);
      model.set("error", (err && err.name) || "camera-error");
      model.save_changes();
      start.disabled = false;
      return;
    }
    video.srcObject = stream;
    countLive(stream.getTracks().length);
    root.dataset.liveTracks = String(stream.getTracks().filter((t) => t.readyState === "live").length);
    await video.play();
    running = true;
    model.set("error", "");
    model.set("camera_on", true);
    model.save_changes();
    stop.disabled = false;
    say("camera on: frames go to the kernel and come back annotated");
    requestAnimationFrame(sendFrame);
  });

  stop.addEventListener("click", () => {
    release();
    say("stopped: the camera is released");
  });

  // re-running the cell or closing the notebook removes this view: release the camera too
  return () => {
    release();
    if (lastUrl) URL.revokeObjectURL(lastUrl);
  };
}

export default { render };
