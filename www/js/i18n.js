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
    reply: 'Reply', note: 'Note', replyOrNote: 'Reply to the user or write a private note',
    passwordRule: 'At least 8 characters, with letters and a digit or symbol.',
    openPhoto: 'Open the photo {name}',
    recordVoice: 'Record a voice message', stopAndSend: 'Stop and send the voice message', cancel: 'Cancel',
    micRefused: 'The microphone is not allowed: allow it in the browser to record a voice message.',
    bytesLeft: '{n} left', bytesOver: '{n} too many', err_too_long: 'This message is too long: shorten it or send it in parts.',
    why_pw_short: 'The password needs at least 8 characters.', why_pw_long: 'The password can have at most 128 characters.',
    why_pw_mix: 'Mix letters with digits or symbols in the password.', why_phone: 'This is not a phone number we can use. Write it with the country code, like +91 90000 00000.',
    why_name: 'Write your name with letters (at most 100).', why_name_reserved: 'Your name may not contain words like Support or Admin.',
    chatGreeting: 'Namaste! Tell us about your crop, animals or farm. You can send a photo, video or voice message too.',
    privateNote: 'Private note', notePlaceholder: 'Private note: only the team sees it…',
    searchPlaceholder: 'Search messages, names, phone numbers', searchTooShort: 'Type at least 2 characters',
    searchNone: 'Nothing found for “{q}”', searchConversations: 'Conversations', searchMessages: 'Messages',
    rateQuestion: 'Did we solve your problem?', rateComment: 'Anything to add? (optional)',
    rateSubmit: 'Send rating', rateThanks: 'Thank you for your feedback.',
    rate1: 'Not at all', rate2: 'Not really', rate3: 'Partly', rate4: 'Mostly', rate5: 'Completely',
    detailsRating: 'Rating', ratingOf: '{score} of 5',
    sending: 'Sending…', failed: 'Not sent', retry: 'Retry',
    photo: 'Photo', video: 'Video', audio: 'Audio',
    today: 'Today', yesterday: 'Yesterday',
    reconnecting: 'You are offline. Reconnecting…',
    pollingNote: 'Live updates off, refreshing every few seconds',
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
    // The inbox (issue 12).
    tabMine: 'Mine', tabUnassigned: 'Unassigned', tabAll: 'All', inboxTabs: 'Which conversations',
    statusFilter: 'Status', filterActive: 'All but resolved', filterAll: 'Every status',
    st_open: 'Open', st_pending: 'Pending', st_snoozed: 'Snoozed', st_resolved: 'Resolved',
    snoozedUntil: 'Snoozed until {time}', unassigned: 'Unassigned', assignedTo: 'Assigned to {name}',
    noConversationsMine: 'Nothing assigned to you. Take one from Unassigned.',
    noConversationsQueue: 'The queue is empty.', noConversationsFilter: 'No conversations with this status.',
    selectConversation: 'Select a conversation to read and reply.',
    resolve: 'Resolve', reopen: 'Reopen', snooze: 'Snooze', transfer: 'Transfer', take: 'Take',
    snoozeHour: 'For one hour', snoozeTomorrow: 'Until tomorrow, 9:00', snoozeChoose: 'Until…', snoozeApply: 'Snooze',
    snoozeWhen: 'Snooze until', err_snooze_past: 'Choose a time in the future.',
    transferTo: 'Transfer to', backToQueue: 'Back to the queue', noAgents: 'No other agents.',
    load: '{open} of {capacity} open conversations',
    av_online: 'Online', av_busy: 'Busy', av_offline: 'Away', availability: 'Your availability',
    takeToReply: 'Take this conversation to reply.',
    transferred: 'Transferred to {name}.', movedToQueue: 'Moved back to the queue.',
    lostConversation: 'This conversation is no longer yours.',
    details: 'Details', backToChat: 'Back to the conversation', contact: 'Contact',
    detailsName: 'Name', detailsPhone: 'Phone', customerSince: 'Customer since', started: 'Started',
    detailsStatus: 'Status', detailsAssignee: 'Assignee', earlier: 'Earlier conversations', noEarlier: 'None before this one.',
    notFoundConversation: 'This conversation does not exist or is not yours.',
    act_resolved: '{actor} resolved the conversation', act_resolved_anon: 'The conversation was resolved',
    act_reopened: '{actor} reopened the conversation', act_reopened_anon: 'The conversation was reopened',
    act_snoozed: '{actor} snoozed the conversation until {until}', act_snoozed_anon: 'The conversation was snoozed until {until}',
    act_pending: '{actor} marked the conversation pending', act_pending_anon: 'The conversation is pending',
    act_woke: '{actor} ended the snooze', act_woke_anon: 'The snooze ended',
    act_assigned: '{actor} assigned the conversation to {agent}', act_assigned_anon: 'The conversation was assigned to {agent}',
    act_taken: '{actor} took the conversation', act_taken_anon: 'The conversation was taken',
    act_transferred: '{actor} transferred the conversation to {agent}', act_transferred_anon: 'The conversation was transferred to {agent}',
    act_unassigned: '{actor} put the conversation back in the queue', act_unassigned_anon: 'The conversation went back to the queue',
    act_routed: '{actor} assigned the conversation to {agent}', act_routed_anon: 'The conversation was assigned to {agent}',
    supportTeam: 'Help desk team',
    queuePosition: 'You are number {n} in the queue. An agent will be with you soon.',
    waitingForAgent: 'Waiting for an agent. Someone will be with you soon.',
    // Canned responses (issue 14): the composer's picker, the admin section.
    cannedTitle: 'Canned responses', cannedNoMatch: 'No canned response matches.',
    cannedFirst: 'The first {n} by short code: search to find the others.',
    cannedKeys: '↑ ↓ to choose · Enter or Tab to insert · Esc to close',
    cannedHint: 'Agents insert one by typing / and its short code in the message box.',
    cannedCode: 'Short code', cannedContent: 'Reply', cannedCodeRule: '1-32 of a-z, 0-9, _ and -',
    cannedSearch: 'Search by short code or words', cannedNone: 'No canned responses yet.',
    cannedEdit: 'Edit', cannedSave: 'Save', cannedCancel: 'Cancel', cannedDelete: 'Delete',
    cannedConfirmDelete: 'Delete for good?', cannedAdded: '/{code} was added.', cannedDeleted: '/{code} was deleted.',
    cannedTaken: 'Another canned response has this short code.',
    // The admin screen.
    admin: 'Admin', team: 'People', users: 'Users', roleFilter: 'Role', anyRole: 'Every role',
    role_User: 'User', role_Support: 'Agent', role_Admin: 'Admin', search: 'Search by name or phone',
    addAgent: 'Add an agent', add: 'Add', role: 'Role', capacity: 'Capacity', state: 'Account',
    created: 'Created', lastSeenCol: 'Presence', active: 'Active', disabled: 'Disabled',
    disable: 'Disable', enable: 'Enable', saved: 'Saved.', added: '{name} was added.',
    prevPage: 'Previous', nextPage: 'Next', pageOf: 'Page {page} of {pages} · {total} people',
    noUsers: 'Nobody matches.', backToInbox: 'Inbox', agentName: 'Name', agentPassword: 'Password',
    err_forbidden: 'You are not allowed to do that.', err_not_found: 'It does not exist, or it is not yours.',
    err_conflict: 'That conflicts with a change made meanwhile. Reload and try again.',
    err_generic: 'Something went wrong. Please try again.',
    // Labels (labels.js).
    labels: 'Labels', labelFilter: 'Label', anyLabel: 'Every label', addLabel: 'Add',
    chooseLabel: 'Choose a label', noLabels: 'No labels yet.', noLabelsOn: 'No labels',
    removeLabel: 'Remove the label {name}', labelName: 'Label name', labelColor: 'Label colour',
    labelCreated: 'Label {name} created.', labelTaken: 'A label of that name already exists.',

    // Keyboard shortcuts (keys.js).
    keysLink: '? Shortcuts', keysTitle: 'Keyboard shortcuts', keyOr: 'or',
    keysNote: 'Shortcuts work while you are not typing in a box; Esc leaves the box.',
    keyNext: 'Next conversation', keyPrev: 'Previous conversation', keyUnread: 'Next conversation with unread messages',
    keyResolve: 'Resolve the open conversation', keySearch: 'Search', keyCompose: 'Write in the message box',
    keyLeave: 'Leave the text box', keyHelp: 'Show these shortcuts',
    keyNoUnread: 'No other conversation has unread messages.', keyNoOpen: 'Open a conversation first.',
    keyResolved: 'This conversation is already resolved.',
    keyCannotResolve: 'Only its agent or an admin can resolve this conversation.',
    // Reports (reports.js).
    reports: 'Reports', report_from: 'From', report_to: 'To', reportAgent: 'Agent', reportEveryone: 'Everyone',
    reportUtc: 'Days are UTC days.', downloadCsv: 'Download CSV', reportByAgent: 'By agent',
    reportNone: 'Nothing in these days.', reportTotal: 'Total',
    reportBadRange: 'Choose at most 366 days, From not after To.',
    chartVolume: 'Conversations started and resolved per day', chartTimes: 'Median first response and resolution per day',
    series_started: 'Started', series_resolved: 'Resolved', series_firstResponse: 'First response', series_resolution: 'Resolution',
    minutes: 'minutes', repStarted: 'Started', repResolved: 'Resolved', repFirstMedian: 'First response (median)',
    repFirstP90: 'First response (90%)', repResMedian: 'Resolution (median)', repResP90: 'Resolution (90%)',
    repIn: 'Messages in', repOut: 'Messages out', repRating: 'Rating',
    ratingAvg: '{average} ({count})', durS: '{n} s', durM: '{n} min', durH: '{n} h',
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
    reply: 'जवाब', note: 'नोट', replyOrNote: 'उपयोगकर्ता को जवाब दें या निजी नोट लिखें',
    passwordRule: 'कम से कम 8 अक्षर, अक्षरों के साथ कोई अंक या चिह्न।',
    openPhoto: 'फ़ोटो {name} खोलें',
    recordVoice: 'आवाज़ संदेश रिकॉर्ड करें', stopAndSend: 'रोकें और आवाज़ संदेश भेजें', cancel: 'रद्द करें',
    micRefused: 'माइक्रोफ़ोन की अनुमति नहीं है: आवाज़ संदेश रिकॉर्ड करने के लिए ब्राउज़र में अनुमति दें।',
    bytesLeft: '{n} बाकी', bytesOver: '{n} ज़्यादा', err_too_long: 'यह संदेश बहुत लंबा है: इसे छोटा करें या हिस्सों में भेजें।',
    why_pw_short: 'पासवर्ड में कम से कम 8 अक्षर चाहिए।', why_pw_long: 'पासवर्ड में अधिक से अधिक 128 अक्षर हो सकते हैं।',
    why_pw_mix: 'पासवर्ड में अक्षरों के साथ अंक या चिह्न मिलाएँ।', why_phone: 'यह फ़ोन नंबर काम का नहीं है। देश कोड के साथ लिखें, जैसे +91 90000 00000।',
    why_name: 'अपना नाम अक्षरों में लिखें (अधिक से अधिक 100)।', why_name_reserved: 'आपके नाम में Support या Admin जैसे शब्द नहीं हो सकते।',
    chatGreeting: 'नमस्ते! अपनी फ़सल, पशुओं या खेत के बारे में बताइए। आप फ़ोटो, वीडियो या आवाज़ संदेश भी भेज सकते हैं।',
    privateNote: 'निजी नोट', notePlaceholder: 'निजी नोट: इसे केवल टीम देखती है…',
    searchPlaceholder: 'संदेश, नाम, फ़ोन नंबर खोजें', searchTooShort: 'कम से कम 2 अक्षर लिखें',
    searchNone: '“{q}” के लिए कुछ नहीं मिला', searchConversations: 'बातचीत', searchMessages: 'संदेश',
    rateQuestion: 'क्या हमने आपकी समस्या हल की?', rateComment: 'कुछ और कहना है? (वैकल्पिक)',
    rateSubmit: 'रेटिंग भेजें', rateThanks: 'आपकी राय के लिए धन्यवाद।',
    rate1: 'बिल्कुल नहीं', rate2: 'ज़्यादा नहीं', rate3: 'कुछ हद तक', rate4: 'ज़्यादातर', rate5: 'पूरी तरह',
    detailsRating: 'रेटिंग', ratingOf: '5 में से {score}',
    sending: 'भेजा जा रहा है…', failed: 'नहीं भेजा गया', retry: 'फिर से भेजें',
    photo: 'फ़ोटो', video: 'वीडियो', audio: 'ऑडियो',
    today: 'आज', yesterday: 'कल',
    reconnecting: 'आप ऑफ़लाइन हैं। फिर से जुड़ रहे हैं…',
    pollingNote: 'लाइव अपडेट बंद हैं, हर कुछ सेकंड में ताज़ा किया जा रहा है',
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
    tabMine: 'मेरी', tabUnassigned: 'बिना सौंपी', tabAll: 'सभी', inboxTabs: 'कौन-सी बातचीत',
    statusFilter: 'स्थिति', filterActive: 'हल की गई के अलावा सभी', filterAll: 'हर स्थिति',
    st_open: 'खुली', st_pending: 'प्रतीक्षा में', st_snoozed: 'स्थगित', st_resolved: 'हल की गई',
    snoozedUntil: '{time} तक स्थगित', unassigned: 'किसी को नहीं सौंपी', assignedTo: '{name} को सौंपी गई',
    noConversationsMine: 'आपको कुछ नहीं सौंपा गया। "बिना सौंपी" से एक लें।',
    noConversationsQueue: 'कतार ख़ाली है।', noConversationsFilter: 'इस स्थिति की कोई बातचीत नहीं।',
    selectConversation: 'पढ़ने और जवाब देने के लिए एक बातचीत चुनें।',
    resolve: 'हल करें', reopen: 'फिर खोलें', snooze: 'स्थगित करें', transfer: 'सौंपें', take: 'लें',
    snoozeHour: 'एक घंटे के लिए', snoozeTomorrow: 'कल सुबह 9:00 तक', snoozeChoose: 'इस समय तक…', snoozeApply: 'स्थगित करें',
    snoozeWhen: 'कब तक स्थगित', err_snooze_past: 'आगे का कोई समय चुनें।',
    transferTo: 'किसे सौंपें', backToQueue: 'वापस कतार में', noAgents: 'कोई और एजेंट नहीं।',
    load: '{capacity} में से {open} खुली बातचीत',
    av_online: 'ऑनलाइन', av_busy: 'व्यस्त', av_offline: 'दूर', availability: 'आपकी उपलब्धता',
    takeToReply: 'जवाब देने के लिए यह बातचीत लें।',
    transferred: '{name} को सौंप दी गई।', movedToQueue: 'वापस कतार में भेज दी गई।',
    lostConversation: 'यह बातचीत अब आपकी नहीं है।',
    details: 'विवरण', backToChat: 'बातचीत पर वापस', contact: 'संपर्क',
    detailsName: 'नाम', detailsPhone: 'फ़ोन', customerSince: 'ग्राहक कब से', started: 'शुरू हुई',
    detailsStatus: 'स्थिति', detailsAssignee: 'किसके पास', earlier: 'पिछली बातचीत', noEarlier: 'इससे पहले कोई नहीं।',
    notFoundConversation: 'यह बातचीत मौजूद नहीं है या आपकी नहीं है।',
    act_resolved: '{actor} ने बातचीत हल की', act_resolved_anon: 'बातचीत हल हो गई',
    act_reopened: '{actor} ने बातचीत फिर खोली', act_reopened_anon: 'बातचीत फिर खुल गई',
    act_snoozed: '{actor} ने बातचीत {until} तक स्थगित की', act_snoozed_anon: 'बातचीत {until} तक स्थगित हुई',
    act_pending: '{actor} ने बातचीत को प्रतीक्षा में रखा', act_pending_anon: 'बातचीत प्रतीक्षा में है',
    act_woke: '{actor} ने स्थगन ख़त्म किया', act_woke_anon: 'स्थगन ख़त्म हुआ',
    act_assigned: '{actor} ने बातचीत {agent} को सौंपी', act_assigned_anon: 'बातचीत {agent} को सौंपी गई',
    act_taken: '{actor} ने बातचीत ली', act_taken_anon: 'बातचीत ली गई',
    act_transferred: '{actor} ने बातचीत {agent} को सौंपी', act_transferred_anon: 'बातचीत {agent} को सौंपी गई',
    act_unassigned: '{actor} ने बातचीत वापस कतार में भेजी', act_unassigned_anon: 'बातचीत वापस कतार में गई',
    act_routed: '{actor} ने बातचीत {agent} को सौंपी', act_routed_anon: 'बातचीत {agent} को सौंपी गई',
    supportTeam: 'हेल्प डेस्क टीम',
    queuePosition: 'कतार में आपका नंबर {n} है। जल्द ही कोई एजेंट आपसे जुड़ेगा।',
    waitingForAgent: 'एजेंट की प्रतीक्षा है। जल्द ही कोई आपसे जुड़ेगा।',
    cannedTitle: 'तैयार जवाब', cannedNoMatch: 'कोई तैयार जवाब मेल नहीं खाता।',
    cannedFirst: 'शॉर्ट कोड के क्रम में पहले {n}: बाकी के लिए खोजें।',
    cannedKeys: '↑ ↓ से चुनें · Enter या Tab से डालें · Esc से बंद करें',
    cannedHint: 'एजेंट संदेश के बॉक्स में / और छोटा कोड लिखकर इसे डालते हैं।',
    cannedCode: 'छोटा कोड', cannedContent: 'जवाब', cannedCodeRule: 'a-z, 0-9, _ और - के 1-32 अक्षर',
    cannedSearch: 'छोटे कोड या शब्दों से खोजें', cannedNone: 'अभी कोई तैयार जवाब नहीं।',
    cannedEdit: 'बदलें', cannedSave: 'सहेजें', cannedCancel: 'रद्द करें', cannedDelete: 'हटाएँ',
    cannedConfirmDelete: 'पक्का हटाएँ?', cannedAdded: '/{code} जोड़ा गया।', cannedDeleted: '/{code} हटा दिया गया।',
    cannedTaken: 'यह छोटा कोड किसी और तैयार जवाब का है।',
    admin: 'एडमिन', team: 'लोग', users: 'उपयोगकर्ता', roleFilter: 'भूमिका', anyRole: 'हर भूमिका',
    role_User: 'उपयोगकर्ता', role_Support: 'एजेंट', role_Admin: 'एडमिन', search: 'नाम या फ़ोन से खोजें',
    addAgent: 'एजेंट जोड़ें', add: 'जोड़ें', role: 'भूमिका', capacity: 'क्षमता', state: 'खाता',
    created: 'बनाया गया', lastSeenCol: 'उपस्थिति', active: 'सक्रिय', disabled: 'बंद',
    disable: 'बंद करें', enable: 'चालू करें', saved: 'सहेजा गया।', added: '{name} जोड़े गए।',
    prevPage: 'पिछला', nextPage: 'अगला', pageOf: 'पृष्ठ {page} / {pages} · {total} लोग',
    noUsers: 'कोई मेल नहीं खाता।', backToInbox: 'इनबॉक्स', agentName: 'नाम', agentPassword: 'पासवर्ड',
    err_forbidden: 'आपको यह करने की अनुमति नहीं है।', err_not_found: 'यह मौजूद नहीं है, या आपका नहीं है।',
    err_conflict: 'इस बीच हुए बदलाव से टकराव है। पेज फिर लोड करके कोशिश करें।',
    err_generic: 'कुछ ग़लत हो गया। कृपया फिर कोशिश करें।',
    labels: 'लेबल', labelFilter: 'लेबल', anyLabel: 'हर लेबल', addLabel: 'जोड़ें',
    chooseLabel: 'लेबल चुनें', noLabels: 'अभी कोई लेबल नहीं।', noLabelsOn: 'कोई लेबल नहीं',
    removeLabel: 'लेबल {name} हटाएँ', labelName: 'लेबल का नाम', labelColor: 'लेबल का रंग',
    labelCreated: 'लेबल {name} बनाया गया।', labelTaken: 'इस नाम का लेबल पहले से है।',

    keysLink: '? शॉर्टकट', keysTitle: 'कीबोर्ड शॉर्टकट', keyOr: 'या',
    keysNote: 'शॉर्टकट तब काम करते हैं जब आप किसी बॉक्स में नहीं लिख रहे हों; Esc से बॉक्स से बाहर आएँ।',
    keyNext: 'अगली बातचीत', keyPrev: 'पिछली बातचीत', keyUnread: 'अपठित संदेशों वाली अगली बातचीत',
    keyResolve: 'खुली बातचीत हल करें', keySearch: 'खोजें', keyCompose: 'संदेश के बॉक्स में लिखें',
    keyLeave: 'लिखने के बॉक्स से बाहर आएँ', keyHelp: 'ये शॉर्टकट दिखाएँ',
    keyNoUnread: 'किसी और बातचीत में अपठित संदेश नहीं हैं।', keyNoOpen: 'पहले कोई बातचीत खोलें।',
    keyResolved: 'यह बातचीत पहले ही हल हो चुकी है।',
    keyCannotResolve: 'यह बातचीत केवल उसका एजेंट या एडमिन हल कर सकता है।',
    reports: 'रिपोर्ट', report_from: 'से', report_to: 'तक', reportAgent: 'एजेंट', reportEveryone: 'सभी',
    reportUtc: 'दिन UTC के अनुसार हैं।', downloadCsv: 'CSV डाउनलोड करें', reportByAgent: 'एजेंट के अनुसार',
    reportNone: 'इन दिनों में कुछ नहीं।', reportTotal: 'कुल',
    reportBadRange: 'अधिकतम 366 दिन चुनें; "से" की तारीख़ "तक" के बाद न हो।',
    chartVolume: 'हर दिन शुरू और हल हुई बातचीत', chartTimes: 'हर दिन पहले जवाब और हल होने का मध्य समय',
    series_started: 'शुरू हुई', series_resolved: 'हल हुई', series_firstResponse: 'पहला जवाब', series_resolution: 'हल होने में',
    minutes: 'मिनट', repStarted: 'शुरू हुई', repResolved: 'हल हुई', repFirstMedian: 'पहला जवाब (मध्य)',
    repFirstP90: 'पहला जवाब (90%)', repResMedian: 'हल होने में (मध्य)', repResP90: 'हल होने में (90%)',
    repIn: 'आए संदेश', repOut: 'भेजे संदेश', repRating: 'रेटिंग',
    ratingAvg: '{average} ({count})', durS: '{n} से.', durM: '{n} मि.', durH: '{n} घं.',
  },
};

// The language chosen here before, else the first of the browser's that
// we speak (a farmer's phone set to Hindi opens in Hindi).
function firstLang() {
  const chosen = localStorage.getItem('lang');
  if (chosen === 'hi' || chosen === 'en') return chosen;
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = String(l).toLowerCase().split('-')[0];
    if (base === 'hi' || base === 'en') return base;
  }
  return 'en';
}
let lang = firstLang();
const listeners = [];

export const getLang = () => lang;

export function t(key, params = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));
}

// The words for an API error: by its code when we have them.
// The server's reasons for refusing what a person typed (its English
// words, lib/account.c and lib/password.c), said in the page's language.
const REASONS = [
  [/^password must be at least/, 'why_pw_short'], [/^password must be at most/, 'why_pw_long'],
  [/^password must mix/, 'why_pw_mix'], [/^phone is not a valid/, 'why_phone'],
  [/^name must be 1 to/, 'why_name'], [/^name may not contain words/, 'why_name_reserved'],
  [/^content is longer than/, 'err_too_long'],
];

export function errorText(e) {
  if (e?.code === 'validation_failed' && e.message) {
    const known = REASONS.find(([re]) => re.test(e.message));
    if (known) return t(known[1]);
  }
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
