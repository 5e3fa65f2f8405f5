// voice.js - voice notes: tap the microphone to record, tap again to send
// (Opus in WebM or Ogg, as the browser records it), or cancel.  The note
// goes as an audio message through the chat's own upload and send.
import { el } from './format.js';
import { t } from './i18n.js';

const MAX_SECONDS = 300;
// What MediaRecorder may make, best first; the server takes WebM and Ogg.
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/ogg'];

export const canRecord = () => typeof MediaRecorder !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);

export class VoiceRecorder {
  // opts: { onRecorded(file), onError(words) }
  constructor(opts) {
    Object.assign(this, opts);
    this.button = el('button', { type: 'button', class: 'record', 'data-testid': 'record', i18nLabel: 'recordVoice', text: '🎤',
      onclick: () => (this.recorder ? this.stop(true) : this.start()) });
    this.cancelEl = el('button', { type: 'button', class: 'record-cancel', 'data-testid': 'record-cancel', i18n: 'cancel', hidden: true,
      onclick: () => this.stop(false) });
    this.timeEl = el('span', { class: 'record-time', 'data-testid': 'record-time', 'aria-live': 'polite', hidden: true });
    this.root = el('span', { class: 'voice' }, this.button, this.timeEl, this.cancelEl);
  }

  async start() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      this.onError(t('micRefused'));
      return;
    }
    const mimeType = TYPES.find((x) => MediaRecorder.isTypeSupported(x));
    this.recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    this.chunks = [];
    this.recorder.addEventListener('dataavailable', (e) => { if (e.data.size) this.chunks.push(e.data); });
    this.recorder.start(1000);
    this.started = Date.now();
    this.button.classList.add('recording');
    this.button.setAttribute('aria-label', t('stopAndSend'));
    this.button.dataset.i18nLabel = 'stopAndSend';
    this.cancelEl.hidden = false;
    this.timeEl.hidden = false;
    this.tick();
    this.timer = setInterval(() => this.tick(), 500);
  }

  tick() {
    const s = Math.floor((Date.now() - this.started) / 1000);
    this.timeEl.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    if (s >= MAX_SECONDS) this.stop(true);
  }

  // Stop; with send, the recording goes to onRecorded as a file.
  stop(send) {
    const r = this.recorder;
    if (!r) return;
    this.recorder = null;
    clearInterval(this.timer);
    this.button.classList.remove('recording');
    this.button.dataset.i18nLabel = 'recordVoice';
    this.button.setAttribute('aria-label', t('recordVoice'));
    this.cancelEl.hidden = true;
    this.timeEl.hidden = true;
    r.addEventListener('stop', () => {
      for (const track of r.stream.getTracks()) track.stop();
      if (!send || !this.chunks.length) return;
      const type = (r.mimeType || 'audio/webm').split(';')[0];
      const blob = new Blob(this.chunks, { type });
      this.onRecorded(new File([blob], `voice.${type === 'audio/ogg' ? 'ogg' : 'weba'}`, { type }));
    }, { once: true });
    r.stop();
  }
}
