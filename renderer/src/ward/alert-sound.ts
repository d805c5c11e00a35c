let context: AudioContext | null = null;

/**
 * A short sound through WebAudio: a low double buzz for a stop (nothing recorded), a high beep for a
 * dose recorded. Silent where audio is unavailable; the screen says the same thing in words.
 */
export function playCue(kind: 'stop' | 'ok'): void {
  try {
    context ??= new AudioContext();
    const at = context.currentTime;
    const tones = kind === 'stop' ? [0, 0.22] : [0];
    for (const offset of tones) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = kind === 'stop' ? 'square' : 'sine';
      oscillator.frequency.value = kind === 'stop' ? 220 : 880;
      gain.gain.setValueAtTime(0.15, at + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, at + offset + 0.18);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at + offset);
      oscillator.stop(at + offset + 0.2);
    }
  } catch {
    // No audio device: the big message on screen carries it.
  }
}
