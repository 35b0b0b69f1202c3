<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an Atom feed of the Exchange as a readable page when it is opened in a browser.
     Feed readers ignore it. No inline style or script: the site's Content-Security-Policy applies. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom"
                exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="yes"/>

  <xsl:template match="/atom:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (feed) · The Exchange</title>
        <link rel="stylesheet" href="/static/css/exchange.css"/>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">The Exchange</a>
          </div>
        </header>
        <main id="main" class="wrap feed-view" tabindex="-1">
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="lede"><xsl:value-of select="atom:subtitle"/></p>
          <div class="notice feed-explainer">
            <p><strong>This is a feed</strong>: an address for feed readers (such as Thunderbird, Feedly, Inoreader or NetNewsWire), which check it for you and list what is new. To follow it, copy this page's address from your browser's address bar into your feed reader.</p>
            <p>Prefer email? <a href="{atom:link[@rel='alternate']/@href}">Go to the page</a> and choose "Get updates".</p>
          </div>
          <xsl:choose>
            <xsl:when test="atom:entry">
              <ol class="feed-entries">
                <xsl:apply-templates select="atom:entry"/>
              </ol>
            </xsl:when>
            <xsl:otherwise>
              <p>Nothing here yet.</p>
            </xsl:otherwise>
          </xsl:choose>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li class="feed-entry">
      <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta">
        <xsl:value-of select="atom:author/atom:name"/>
        <xsl:text>, </xsl:text>
        <time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time>
      </p>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
