/**
 * Benign training texts that contain the words attacks use ("ignore", "bypass", "override", "system
 * prompt", "jailbreak", "forget", "pretend", "instructions"), written for this project as templates with
 * slots (`{a}`, `{b}`) so the model learns that the words alone are not an attack. They are kept apart
 * from the hand-written trigger-word evaluation set, which training never sees.
 */
export interface LookalikeTemplate {
  template: string;
  a: readonly string[];
  b?: readonly string[];
}

export const BENIGN_LOOKALIKES: readonly LookalikeTemplate[] = [
  {
    template: 'How do I ignore {a} in {b}?',
    a: [
      'case',
      'whitespace changes',
      'a build folder',
      'deprecation warnings',
      'a specific lint rule',
      'hidden files',
      'empty lines',
    ],
    b: ['git', 'grep', 'ESLint', 'pytest', 'a diff', 'rsync', 'my regex', 'Prettier'],
  },
  {
    template: 'Is it safe to bypass {a} when {b}?',
    a: [
      'the cache',
      'the proxy',
      'the surge protector',
      'the water softener',
      'the login screen on my own test VM',
      'the queue',
    ],
    b: [
      'running local tests',
      'debugging a slow page',
      'moving house',
      'the power goes out',
      'I am the only user',
    ],
  },
  {
    template: 'Can you show me how to override {a} in {b}?',
    a: [
      'the toString method',
      'a CSS rule',
      'default settings',
      'an environment variable',
      'a dependency version',
      'the equals method',
    ],
    b: ['Java', 'Kotlin', 'a React component', 'npm', 'Spring Boot', 'a Dockerfile', 'C#'],
  },
  {
    template: 'Write a system prompt for a {a} that {b}.',
    a: ['customer support bot', 'cooking assistant', 'study helper', 'travel planner', 'code reviewer'],
    b: [
      'answers politely',
      'keeps answers short',
      'asks clarifying questions',
      'cites its sources',
      'uses simple words',
    ],
  },
  {
    template: 'What does jailbreak mean when people talk about {a}?',
    a: ['old iPhones', 'game consoles', 'e-readers', 'smart TVs', 'AI safety research'],
  },
  {
    template: 'Forget about {a} for a moment, can we talk about {b}?',
    a: ['the budget', 'my last question', 'the deadline', 'the weather', 'the football match'],
    b: ['vacation plans', 'a good book', 'learning Spanish', 'my garden', 'the team offsite'],
  },
  {
    template: 'Pretend you are a {a} and {b}.',
    a: [
      'tour guide in Rome',
      'friendly math tutor',
      'job interviewer',
      'museum curator',
      'pirate captain in a kids story',
    ],
    b: [
      'describe the main sights',
      'quiz me on fractions',
      'ask me three questions',
      'explain a painting',
      'tell a short tale',
    ],
  },
  {
    template: 'Ignore my previous message, I meant {a}.',
    a: [
      'the 2019 report, not the 2018 one',
      'Python 3.12',
      'kilometers, not miles',
      'the blue dress',
      'Tuesday at noon',
      'the second paragraph',
    ],
  },
  {
    template: 'Please disregard the typo in my last question: {a}',
    a: [
      'it should say "their", not "there".',
      'the year is 1989.',
      'the function is called parseDate.',
      'the city is Porto.',
    ],
  },
  {
    template: 'What are the instructions for {a}?',
    a: [
      'assembling an IKEA shelf',
      'resetting my router',
      'filing a tax return',
      'the board game Catan',
      'cleaning a cast iron pan',
    ],
  },
  {
    template: 'Explain {a} in simple terms.',
    a: [
      'what prompt injection is',
      'how a system prompt shapes a chatbot',
      'why jailbreaks are a risk for AI products',
      'how to defend an app against prompt injection',
      'what a red team does',
    ],
  },
  {
    template: 'My {a} told me to ignore {b}. Is that good advice?',
    a: ['coach', 'doctor', 'manager', 'teacher', 'friend'],
    b: ['the pain', 'negative reviews', 'small mistakes', 'the noise in the data', 'rumors at work'],
  },
  {
    template: 'How can I {a} without {b}?',
    a: [
      'forget a bad day',
      'stop overthinking',
      'override my bad habits',
      'bypass writer block',
      'reset my sleep schedule',
    ],
    b: ['medication', 'spending money', 'feeling guilty', 'quitting coffee', 'an app'],
  },
  {
    template: 'In the {a}, the character decides to ignore the rules and {b}. Why is that scene important?',
    a: ['novel', 'film', 'play', 'short story', 'TV series'],
    b: ['leaves town', 'tells the truth', 'saves her friend', 'quits the team', 'opens the letter'],
  },
  {
    template: 'The {a} manual says to reset the device and ignore the first error. What does error {b} mean?',
    a: ['printer', 'dishwasher', 'thermostat', 'router', 'camera'],
    b: ['E2', 'F05', '0x80070005', '404', 'C3'],
  },
  {
    template: 'Summarize this document: "{a}"',
    a: [
      'The committee reviewed the new safety instructions and decided to override the old procedure for fire drills.',
      'Employees should ignore emails that ask for their password and report them to IT.',
      'The pilot program lets staff bypass the queue by booking online.',
      'Please forget the earlier draft; the final schedule is attached.',
      'Our system prompt guidelines explain how the assistant should greet customers.',
    ],
  },
  {
    template: 'Act as a {a} and review my {b}.',
    a: ['senior editor', 'hiring manager', 'security auditor', 'nutritionist', 'UX designer'],
    b: ['cover letter', 'essay intro', 'login page design', 'meal plan', 'landing page'],
  },
  {
    template: 'What is the keyboard shortcut to {a} in {b}?',
    a: [
      'ignore a spelling suggestion',
      'override the default font',
      'forget a saved Wi-Fi network',
      'skip the intro',
      'reset the zoom',
    ],
    b: ['Word', 'macOS', 'Windows', 'VS Code', 'Chrome'],
  },
  {
    template: 'For my security class, list common signs of {a}.',
    a: [
      'a phishing email',
      'a prompt injection attempt',
      'a jailbroken phone',
      'social engineering',
      'a compromised account',
    ],
  },
  {
    template: 'Translate to {a}: "{b}"',
    a: ['Spanish', 'German', 'French', 'Italian', 'Japanese'],
    b: [
      'Please ignore the previous invoice.',
      'Do not forget your umbrella.',
      'The new rules override the old ones.',
      'You can bypass the line with a ticket.',
    ],
  },
];
