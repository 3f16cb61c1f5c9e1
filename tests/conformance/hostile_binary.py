—þÿprint(1)
