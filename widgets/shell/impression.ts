/** Calls `onVisible` once when `target` is actually seen: the page is visible and, for inline
 * placements, at least half of the element is in the viewport. Returns a canceller. */
export function watchImpression(target: HTMLElement, inline: boolean, onVisible: () => void): () => void {
  let done = false;
  let observer: IntersectionObserver | undefined;
  let frame = 0;
  const fire = () => {
    if (done) return;
    done = true;
    stop();
    onVisible();
  };
  const arm = () => {
    if (document.visibilityState !== 'visible' || observer || frame) return;
    if (inline) {
      observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting && e.intersectionRatio >= 0.5 && document.visibilityState === 'visible')) fire();
      }, { threshold: [0.5] });
      observer.observe(target);
    } else {
      // After the frame that paints it.
      frame = requestAnimationFrame(() => setTimeout(fire, 0));
    }
  };
  const onVisibility = () => (document.visibilityState === 'visible' ? arm() : pause());
  const pause = () => {
    observer?.disconnect();
    observer = undefined;
    cancelAnimationFrame(frame);
    frame = 0;
  };
  const stop = () => {
    pause();
    document.removeEventListener('visibilitychange', onVisibility);
  };
  document.addEventListener('visibilitychange', onVisibility);
  arm();
  return stop;
}
