"""Scrapy downloader middlewares and the name resolver that keep the crawler off private networks."""
