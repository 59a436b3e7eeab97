package main

import "errors"

// Placeholders, replaced by the runner work (issue 3).

type ApplyCmd struct{}

func (c *ApplyCmd) Run(g *Globals) error { return errors.New("apply: not implemented yet") }

type DownCmd struct{}

func (c *DownCmd) Run(g *Globals) error { return errors.New("down: not implemented yet") }

type StatusCmd struct{}

func (c *StatusCmd) Run(g *Globals) error { return errors.New("status: not implemented yet") }

type HistoryCmd struct{}

func (c *HistoryCmd) Run(g *Globals) error { return errors.New("history: not implemented yet") }

type StampCmd struct{}

func (c *StampCmd) Run(g *Globals) error { return errors.New("stamp: not implemented yet") }
