// <like-button item="post-42" user="user-7" token="JWT"></like-button>
//
// A like button for the likes service, with no dependencies. It shows the item's count and whether
// the user likes it (aria-pressed), toggles at once on a click or Enter/Space and confirms with the
// service; a burst of clicks ends in one request for the final state; a failed request rolls the
// button back and offers a retry. Counts follow the service's live stream (one per page).
//
// Attributes: item (required); user (omit to show the count only); token, or a token provider,
// async () => "JWT", called before each request that acts for the user: element.tokenProvider for
// one button or LikeButton.tokenProvider for all; api: the service's base URL (default: this
// script's origin). The attribute "live" appears once the live stream has delivered a count.
//
// The token goes only to the origin this script was loaded from, or to the origins the page lists
// in LikeButton.tokenOrigins (["https://likes.example.com"]): a button whose api points anywhere
// else sends no token (and never asks the provider for one), so a page cannot be tricked into
// handing the user's token to a stranger through an attribute.
(() => {
  const scriptUrl = document.currentScript ? new URL(document.currentScript.src) : new URL(location.href);
  const defaultApi = scriptUrl.origin;

  // The origins a user's token may be sent to: this script's, and those the page lists.
  const warned = new Set();
  function mayReceiveTokens(api) {
    const origin = new URL(api, document.baseURI).origin; // as fetch resolves it
    const listed = Array.isArray(window.LikeButton?.tokenOrigins) ? window.LikeButton.tokenOrigins : [];
    if (origin === defaultApi || listed.includes(origin)) {
      return true;
    }
    if (!warned.has(origin)) {
      warned.add(origin);
      console.warn(`like-button: no token is sent to ${origin}; list it in LikeButton.tokenOrigins if it is your likes service`);
    }
    return false;
  }

  // One EventSource per page and service for every button on it, reopened when buttons come and go.
  const streams = new Map(); // api -> { source, buttons: Set, timer }
  function follow(button) {
    const api = button.api;
    let stream = streams.get(api);
    if (!stream) {
      stream = { source: null, buttons: new Set(), timer: 0 };
      streams.set(api, stream);
    }
    stream.buttons.add(button);
    reopen(api, stream);
  }
  function unfollow(button) {
    const stream = streams.get(button.api);
    if (stream && stream.buttons.delete(button)) {
      reopen(button.api, stream);
    }
  }
  function reopen(api, stream) {
    clearTimeout(stream.timer);
    // Buttons appear together: one stream for all of them, not one per button.
    stream.timer = setTimeout(() => {
      if (stream.source) {
        stream.source.close();
        stream.source = null;
      }
      // Valid ids only (one bad id would get the whole stream refused); at most 100 per stream.
      const ids = [...new Set([...stream.buttons].map((b) => b.item))]
        .filter((id) => /^[A-Za-z0-9._~:-]{1,64}$/.test(id) && id !== "." && id !== "..").slice(0, 100);
      if (ids.length === 0) {
        return;
      }
      const source = new EventSource(`${api}/v1/live/counts?ids=${ids.map(encodeURIComponent).join(",")}`);
      source.addEventListener("count", (event) => {
        const { itemId, likes } = JSON.parse(event.data);
        for (const button of stream.buttons) {
          if (button.item === itemId) {
            button.live(likes);
          }
        }
      });
      source.addEventListener("open", () => { stream.backoff = 0; });
      // A refused or broken stream (429, 503, a restart) is not retried by the browser: retry later.
      source.onerror = () => {
        if (source.readyState === EventSource.CLOSED && stream.source === source) {
          stream.source = null;
          stream.backoff = Math.min(30000, (stream.backoff || 1000) * 2);
          clearTimeout(stream.timer);
          stream.timer = setTimeout(() => reopen(api, stream), stream.backoff * (0.5 + Math.random() / 2));
        }
      };
      stream.source = source;
    }, 50);
  }

  // A page that is left (or kept in the back/forward cache) closes its stream, so streams never pile
  // up against the browser's six connections per server; coming back opens it again.
  addEventListener("pagehide", () => {
    for (const stream of streams.values()) {
      clearTimeout(stream.timer);
      if (stream.source) {
        stream.source.close();
        stream.source = null;
      }
    }
  });
  addEventListener("pageshow", (event) => {
    if (event.persisted) {
      streams.forEach((stream, api) => reopen(api, stream));
    }
  });

  const style = `
    :host { display: inline-block; font: inherit; }
    button { font: inherit; display: inline-flex; align-items: center; gap: .4em; padding: .3em .8em;
             border: 1px solid #888; border-radius: 1em; background: #fff; color: #222; cursor: pointer; }
    button[aria-pressed="true"] { background: #ffe3ea; border-color: #d6336c; color: #a61e4d; }
    button:focus-visible { outline: 3px solid #1c7ed6; outline-offset: 2px; }
    button:disabled { cursor: default; opacity: .6; }
    .heart::before { content: "\\2661"; }
    button[aria-pressed="true"] .heart::before { content: "\\2665"; }
    .retry { margin-left: .4em; font-size: .85em; }
    .retry[hidden] { display: none; }
  `;

  class LikeButton extends HTMLElement {
    constructor() {
      super();
      this.confirmed = { liked: false, likes: 0 }; // what the service last said
      this.wanted = null; // the state the user asked for, while it differs from confirmed
      this.sending = false;
      const root = this.attachShadow({ mode: "open" });
      root.innerHTML = `<style>${style}</style>
        <button type="button" part="button" aria-pressed="false">
          <span class="heart" aria-hidden="true"></span><span class="count" part="count">0</span>
        </button><button type="button" class="retry" part="retry" hidden>Retry</button>`;
      this.button = root.querySelector("button");
      this.countText = root.querySelector(".count");
      this.retryButton = root.querySelector(".retry");
      this.button.addEventListener("click", () => this.toggle());
      this.retryButton.addEventListener("click", () => this.retry());
    }

    // A token provider for every button of the page; setting it loads their states again, with the token.
    static get tokenProvider() { return LikeButton.pageTokenProvider; }
    static set tokenProvider(provider) {
      LikeButton.pageTokenProvider = provider;
      for (const button of document.querySelectorAll("like-button")) {
        if (button instanceof LikeButton && button.user) {
          button.load();
        }
      }
    }

    // Setting the token provider after the button is on the page loads its state again, with the token.
    get tokenProvider() { return this.ownTokenProvider || LikeButton.tokenProvider; }
    set tokenProvider(provider) {
      this.ownTokenProvider = provider;
      if (this.isConnected && this.user) {
        this.load();
      }
    }

    get item() { return this.getAttribute("item"); }
    get user() { return this.getAttribute("user"); }
    get api() { return (this.getAttribute("api") || defaultApi).replace(/\/$/, ""); }
    get liked() { return (this.wanted || this.confirmed).liked; }
    get likes() { return (this.wanted || this.confirmed).likes; }

    connectedCallback() {
      this.render();
      this.load();
      follow(this);
    }

    disconnectedCallback() {
      unfollow(this);
    }

    async headers() {
      if (!mayReceiveTokens(this.api)) {
        return {};
      }
      const token = this.tokenProvider ? await this.tokenProvider() : this.getAttribute("token");
      return token ? { Authorization: `Bearer ${token}` } : {};
    }

    async load() {
      const query = this.user ? `&userId=${encodeURIComponent(this.user)}` : "";
      try {
        const answer = await fetch(`${this.api}/v1/items?ids=${encodeURIComponent(this.item)}${query}`,
          { headers: this.user ? await this.headers() : {} });
        if (answer.ok && !this.sending && !this.wanted) {
          const [state] = (await answer.json()).items;
          this.confirmed = { liked: state.liked === true, likes: state.likes };
          this.render();
        }
      } catch (e) {
        // Offline: the button shows 0 until the live stream or a click brings the count.
      }
      this.loaded = true;
    }

    // Optimistic: the button changes at once; the service is asked for the final state only.
    toggle() {
      if (!this.user) {
        return;
      }
      const now = this.wanted || this.confirmed;
      this.wanted = { liked: !now.liked, likes: Math.max(0, now.likes + (now.liked ? -1 : 1)) };
      if (!this.sending && this.wanted.liked === this.confirmed.liked) {
        this.wanted = null; // back where the service is: nothing to send
      }
      this.failedWish = null;
      this.retryButton.hidden = true;
      this.render();
      this.send();
    }

    async send() {
      if (this.sending || !this.wanted) {
        return;
      }
      this.sending = true;
      this.retryButton.hidden = true;
      let failed = false;
      try {
        const headers = await this.headers();
        // The wish as it stands now: clicks may have come while the token was fetched.
        const target = this.wanted.liked;
        const answer = await fetch(`${this.api}/v1/items/${encodeURIComponent(this.item)}/likes/${encodeURIComponent(this.user)}`,
          { method: target ? "PUT" : "DELETE", headers });
        if (answer.ok) {
          const change = await answer.json();
          this.confirmed = { liked: change.liked, likes: change.likes };
        } else {
          failed = true;
          this.dispatchEvent(new CustomEvent("like-error", { detail: { status: answer.status } }));
        }
      } catch (e) {
        failed = true;
        this.dispatchEvent(new CustomEvent("like-error", { detail: { status: 0 } }));
      }
      this.sending = false;
      if (failed) {
        // Roll back to what the service holds; the wish is kept for the retry.
        this.failedWish = this.wanted;
        this.wanted = null;
        this.render();
        this.retryButton.hidden = false;
        return;
      }
      if (this.wanted && this.wanted.liked === this.confirmed.liked) {
        this.wanted = null;
      }
      this.render();
      if (this.wanted) {
        this.send(); // clicked again meanwhile: one more request for the final state
      } else if (this.missedLive) {
        this.missedLive = false;
        this.load(); // others' clicks came in while ours was under way: catch up
      }
    }

    retry() {
      if (this.failedWish) {
        this.wanted = this.failedWish;
        this.failedWish = null;
        this.render();
        this.send();
      }
    }

    // A count from the live stream; while our own request is under way it is caught up afterwards.
    live(likes) {
      this.setAttribute("live", "");
      if (this.sending || this.wanted) {
        this.missedLive = true;
        return;
      }
      this.confirmed = { liked: this.confirmed.liked, likes };
      this.render();
    }

    render() {
      this.button.setAttribute("aria-pressed", String(this.liked));
      this.button.setAttribute("aria-label", `${this.liked ? "Unlike" : "Like"}: ${this.likes} likes`);
      this.button.disabled = !this.user;
      this.countText.textContent = String(this.likes);
    }
  }

  window.LikeButton = LikeButton;

  if (!customElements.get("like-button")) {
    customElements.define("like-button", LikeButton);
  }
})();
