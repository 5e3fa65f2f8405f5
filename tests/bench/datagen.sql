-- datagen.sql - fills the chat schema for benchmarks, fast: rows come from
-- MariaDB's SEQUENCE engine (seq_1_to_N) in multi-row INSERT ... SELECT,
-- with no client round trip per row.  Sizes come from user variables set
-- by the caller (tests/bench/run.sh):
--   @agents, @users (one conversation each), @msgs (spread over all
--   conversations), @big (extra messages in the first conversation),
--   @hash (one Argon2id hash shared by every generated account).
-- Generated phones: agents +9180xxxxxxxx, users +9181xxxxxxxx.

SET @s = CONCAT('INSERT INTO users (phone, name, role, passwordHash) ',
  'SELECT CONCAT(''+9180'', LPAD(seq, 8, ''0'')), CONCAT(''Agent '', seq), ''Support'', @hash ',
  'FROM seq_1_to_', @agents);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
SET @first_agent = (SELECT MIN(id) FROM users WHERE phone LIKE '+9180%');

SET @s = CONCAT('INSERT INTO users (phone, name, role, passwordHash) ',
  'SELECT CONCAT(''+9181'', LPAD(seq, 8, ''0'')), CONCAT(''Farmer '', seq), ''User'', @hash ',
  'FROM seq_1_to_', @users);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
SET @first_user = (SELECT MIN(id) FROM users WHERE phone LIKE '+9181%');

-- One conversation per user, agents round robin.
SET @s = CONCAT('INSERT INTO conversations (userId, assignedSupportId, status) ',
  'SELECT @first_user + seq - 1, @first_agent + (seq - 1) % ', @agents, ', ''open'' ',
  'FROM seq_1_to_', @users);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
SET @first_conv = (SELECT MIN(id) FROM conversations WHERE userId >= @first_user);

-- Message text, for search: 4 to 6 words (5 on average) of one language,
-- English or Hindi in Devanagari (a conversation's messages are all in
-- one, a quarter of the conversations Hindi; in the long thread a quarter
-- of the messages), from farming vocabularies listed from common to rare:
-- the word of rank FLOOR(n * RAND() * RAND()), whose density -ln x gives
-- a long head and a thin tail, like real word counts.  Expected shares of
-- the messages: "wheat", first of the English list, ~19%; "yellow" and
-- "pest", 10th and 11th, ~8%; the 50th ~2.6%; the last under 0.05%;
-- "गेहूं", first of the Hindi list, ~9%; "सिंचाई", 19th, ~2.4%.  One message
-- in a thousand adds a rare word (~0.01% each: "locust" in ~500 of 5M).
-- The benchmark report prints the counts it measured.
SET @en = "'wheat','crop','water','seed','field','rain','spray','leaves','price','yellow',
 'pest','fertilizer','soil','rice','cotton','market','disease','harvest','irrigation','plants',
 'sowing','urea','tractor','weather','insects','farm','mandi','potato','onion','tomato',
 'loan','subsidy','sugarcane','mustard','maize','pump','fungus','weeds','manure','compost',
 'yield','acre','cattle','milk','fodder','storage','diesel','drip','organic','neem',
 'rust','blight','aphids','whitefly','termite','pesticide','herbicide','fungicide','dose','litre',
 'kilogram','bags','sprayer','nursery','seedlings','transplant','germination','moisture','drought','flood',
 'canal','borewell','tubewell','electricity','insurance','credit','kisan','card','payment','delivery',
 'order','refund','quality','certified','hybrid','variety','groundnut','soybean','chickpea','lentil',
 'pigeonpea','millet','sorghum','barley','turmeric','chilli','garlic','ginger','banana','mango'";
SET @en_rare = "'locust','nematode','chlorosis','vermicompost','mulching',
 'greenhouse','hailstorm','frostbite','wilt','zinc'";
SET @hi = "'गेहूं','फसल','पानी','बीज','खेत','बारिश','दवा','पत्ते','भाव','पीला',
 'कीड़े','खाद','मिट्टी','धान','कपास','मंडी','रोग','कटाई','सिंचाई','पौधे',
 'बुवाई','यूरिया','ट्रैक्टर','मौसम','किसान','आलू','प्याज','टमाटर','कर्ज','सब्सिडी',
 'गन्ना','सरसों','मक्का','पंप','फफूंद','खरपतवार','गोबर','पैदावार','एकड़','गाय',
 'दूध','चारा','भंडारण','डीजल','नीम','जैविक','छिड़काव','बीमा','बाजरा','चना',
 'मूंग','हल्दी','मिर्च','लहसुन','अदरक','केला','अमरूद','बैंगन','भिंडी','गोभी'";
SET @hi_rare = "'टिड्डी','पाला','ओलावृष्टि','दीमक','झुलसा'";
SET @text = "CONCAT_WS(' ', {W}, {W}, {W}, {W}, IF(RAND() < 0.5, {W}, NULL),
 IF(RAND() < 0.5, {W}, NULL), IF(RAND() < 0.001, {R}, NULL))";
SET @text_en = REPLACE(REPLACE(@text, '{W}', CONCAT('ELT(1 + FLOOR(100 * RAND() * RAND()), ', @en, ')')),
  '{R}', CONCAT('ELT(1 + FLOOR(10 * RAND()), ', @en_rare, ')'));
SET @text_hi = REPLACE(REPLACE(@text, '{W}', CONCAT('ELT(1 + FLOOR(60 * RAND() * RAND()), ', @hi, ')')),
  '{R}', CONCAT('ELT(1 + FLOOR(5 * RAND()), ', @hi_rare, ')'));

-- Messages: alternate user and agent, spread over the conversations.
SET @s = CONCAT('INSERT INTO messages (conversationId, senderId, messageType, content, isRead, createdAt) ',
  'SELECT @first_conv + (seq - 1) % ', @users, ', ',
  'IF(seq % 2 = 0, @first_user + (seq - 1) % ', @users, ', @first_agent + ((seq - 1) % ', @users, ') % ', @agents, '), ',
  '''text'', IF((seq - 1) % ', @users, ' % 4 = 3, ', @text_hi, ', ', @text_en, '), 1, ',
  'CURRENT_TIMESTAMP(3) - INTERVAL (', @msgs, ' - seq) SECOND ',
  'FROM seq_1_to_', @msgs);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;

SET @s = CONCAT('INSERT INTO messages (conversationId, senderId, messageType, content, isRead, createdAt) ',
  'SELECT @first_conv, IF(seq % 2 = 0, @first_user, @first_agent), ''text'', ',
  'IF(seq % 4 = 3, ', @text_hi, ', ', @text_en, '), 1, CURRENT_TIMESTAMP(3) - INTERVAL (', @big, ' - seq) SECOND ',
  'FROM seq_1_to_', @big);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;

UPDATE conversations c SET lastMessageId = (SELECT MAX(id) FROM messages m WHERE m.conversationId = c.id),
  updatedAt = CURRENT_TIMESTAMP(3) - INTERVAL (c.id % 86400) SECOND
  WHERE c.id >= @first_conv;
ANALYZE TABLE users, conversations, messages;
