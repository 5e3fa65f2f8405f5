// i18n.js - English and Hindi.  Every string a person reads comes from
// here; elements with data-i18n="key" are filled in by applyI18n().

const STRINGS = {
  en: {
    appTitle: 'Support chat', userTitle: 'Help desk',
    phone: 'Phone number', password: 'Password', name: 'Your name',
    login: 'Log in', register: 'Create account', logout: 'Log out',
    haveAccount: 'I have an account', newAccount: 'New here? Create an account',
    loggingIn: 'Logging in…',
    conversations: 'Conversations', noConversations: 'No conversations yet. New chats will appear here.',
    loadMore: 'Loading more…', back: 'Back', online: 'Online now', offline: 'Offline',
    lastSeen: 'Last seen {ago}', typing: '{name} is typing…',
    typeMessage: 'Type a message…', send: 'Send', attach: 'Attach a photo, video or audio',
    sending: 'Sending…', failed: 'Not sent', retry: 'Retry',
    photo: 'Photo', video: 'Video', audio: 'Audio',
    today: 'Today', yesterday: 'Yesterday',
    reconnecting: 'You are offline. Reconnecting…',
    sent: 'Sent', read: 'Read', unread: '{n} unread',
    newMessageFrom: 'New message from {name}',
    enableNotifications: 'Turn on notifications', close: 'Close',
    language: 'हिन्दी', startChat: 'Start a chat with support', you: 'You',
    uploading: 'Uploading…',
    err_invalid_credentials: 'The phone number or password is wrong.',
    err_too_many_requests: 'Too many attempts. Please wait a few minutes and try again.',
    err_validation_failed: 'Please check what you entered.',
    err_phone_taken: 'An account with this phone number already exists.',
    err_network: 'Cannot reach the server. Check your connection.',
    err_unsupported_media_type: 'This file type is not allowed. Use JPEG, PNG, GIF, WebP, MP4, WebM, MP3, AAC, M4A, Ogg or WAV.',
    err_payload_too_large: 'This file is too large.',
    err_too_large_image: 'Images can be at most 10 MB.', err_too_large_video: 'Videos can be at most 50 MB.',
    err_too_large_audio: 'Audio can be at most 20 MB.', err_bad_type: 'Choose a photo, a video or an audio file.',
    err_generic: 'Something went wrong. Please try again.',
  },
  hi: {
    appTitle: 'सहायता चैट', userTitle: 'हेल्प डेस्क',
    phone: 'फ़ोन नंबर', password: 'पासवर्ड', name: 'आपका नाम',
    login: 'लॉग इन करें', register: 'खाता बनाएँ', logout: 'लॉग आउट',
    haveAccount: 'मेरा खाता है', newAccount: 'नए हैं? खाता बनाएँ',
    loggingIn: 'लॉग इन हो रहा है…',
    conversations: 'बातचीत', noConversations: 'अभी कोई बातचीत नहीं। नई चैट यहाँ दिखेंगी।',
    loadMore: 'और लोड हो रहा है…', back: 'वापस', online: 'अभी ऑनलाइन', offline: 'ऑफ़लाइन',
    lastSeen: 'आख़िरी बार {ago} देखा गया', typing: '{name} लिख रहे हैं…',
    typeMessage: 'संदेश लिखें…', send: 'भेजें', attach: 'फ़ोटो, वीडियो या ऑडियो जोड़ें',
    sending: 'भेजा जा रहा है…', failed: 'नहीं भेजा गया', retry: 'फिर से भेजें',
    photo: 'फ़ोटो', video: 'वीडियो', audio: 'ऑडियो',
    today: 'आज', yesterday: 'कल',
    reconnecting: 'आप ऑफ़लाइन हैं। फिर से जुड़ रहे हैं…',
    sent: 'भेजा गया', read: 'पढ़ा गया', unread: '{n} अपठित',
    newMessageFrom: '{name} का नया संदेश',
    enableNotifications: 'सूचनाएँ चालू करें', close: 'बंद करें',
    language: 'English', startChat: 'सहायता से चैट शुरू करें', you: 'आप',
    uploading: 'अपलोड हो रहा है…',
    err_invalid_credentials: 'फ़ोन नंबर या पासवर्ड ग़लत है।',
    err_too_many_requests: 'बहुत अधिक प्रयास। कुछ मिनट बाद फिर कोशिश करें।',
    err_validation_failed: 'कृपया जो भरा है उसे जाँचें।',
    err_phone_taken: 'इस फ़ोन नंबर से खाता पहले से है।',
    err_network: 'सर्वर से संपर्क नहीं हो पा रहा। अपना कनेक्शन जाँचें।',
    err_unsupported_media_type: 'यह फ़ाइल प्रकार मान्य नहीं है। JPEG, PNG, GIF, WebP, MP4, WebM, MP3, AAC, M4A, Ogg या WAV चुनें।',
    err_payload_too_large: 'यह फ़ाइल बहुत बड़ी है।',
    err_too_large_image: 'फ़ोटो अधिकतम 10 MB की हो सकती है।', err_too_large_video: 'वीडियो अधिकतम 50 MB का हो सकता है।',
    err_too_large_audio: 'ऑडियो अधिकतम 20 MB का हो सकता है।', err_bad_type: 'फ़ोटो, वीडियो या ऑडियो फ़ाइल चुनें।',
    err_generic: 'कुछ ग़लत हो गया। कृपया फिर कोशिश करें।',
  },
};

let lang = localStorage.getItem('lang') === 'hi' ? 'hi' : 'en';
const listeners = [];

export const getLang = () => lang;

export function t(key, params = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));
}

// The words for an API error: by its code when we have them.
export function errorText(e) {
  return STRINGS[lang][`err_${e?.code}`] ? t(`err_${e.code}`) : (e?.status >= 500 || !e?.message ? t('err_generic') : e.message);
}

export function applyI18n(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

export function toggleLang() {
  lang = lang === 'en' ? 'hi' : 'en';
  localStorage.setItem('lang', lang);
  applyI18n();
  for (const fn of listeners) fn(lang);
}

export const onLangChange = (fn) => listeners.push(fn);
